"""Shared test setup: make notebooks/helpers.py importable as `helpers`."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "notebooks"))
