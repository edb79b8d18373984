"""Unit tests for the start-here helpers (00_start_here): the digit slider's caption."""
import pytest

import helpers


@pytest.fixture(scope="module")
def test_set():
    return helpers.mnist(train=False)


@pytest.fixture(scope="module")
def train_set():
    return helpers.mnist(train=True)


@pytest.mark.parametrize("index", [0, 3, 9, 4321, 9999])
def test_caption_names_the_test_digit_and_its_label(test_set, index):
    label = int(test_set.targets[index])  # the label file itself, not dataset[index]
    assert helpers.digit_caption(test_set, index) == f"test digit {index}: label {label}"


def test_caption_of_the_slider_start_value(test_set):
    assert helpers.digit_caption(test_set, 3) == "test digit 3: label 0"
    assert helpers.digit_caption(test_set, 0) == "test digit 0: label 7"


@pytest.mark.parametrize("index", [0, 59_999])
def test_caption_says_training_for_the_training_set(train_set, index):
    label = int(train_set.targets[index])
    assert helpers.digit_caption(train_set, index) == f"training digit {index}: label {label}"


@pytest.mark.parametrize("index", [-1, 10_000, 2.0, True, "3"])
def test_bad_index_is_a_clear_error(test_set, index):
    with pytest.raises(IndexError, match=r"index must be an int from 0 to 9999, got"):
        helpers.digit_caption(test_set, index)
