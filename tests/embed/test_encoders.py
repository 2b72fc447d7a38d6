"""Contract tests every Encoder backend inherits."""

import numpy as np
import pytest

from tandem.embed import Encoder, HashingEncoder, MiniLMEncoder, create_encoder
from tandem.errors import ConfigurationError


class EncoderContract:
    encoder: Encoder

    def test_rows_are_unit_length_float32(self) -> None:
        vectors = self.encoder.encode(["Django developer", "logo design", "tax returns"])
        assert vectors.shape == (3, self.encoder.dim) and vectors.dtype == np.float32
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)

    def test_deterministic(self) -> None:
        a = self.encoder.encode(["React and TypeScript"])
        b = self.encoder.encode(["React and TypeScript"])
        assert np.allclose(a, b, atol=1e-6)

    def test_related_texts_are_closer_than_unrelated(self) -> None:
        a, b, c = self.encoder.encode(
            [
                "Python Django backend developer",
                "Django REST API developer in Python",
                "Wedding photography and photo retouching",
            ]
        )
        assert float(a @ b) > float(a @ c)

    def test_empty_input(self) -> None:
        assert self.encoder.encode([]).shape[0] == 0


class TestHashingEncoder(EncoderContract):
    encoder = HashingEncoder()


@pytest.mark.slow
class TestMiniLMEncoder(EncoderContract):
    encoder = MiniLMEncoder()

    def test_understands_meaning_beyond_shared_words(self) -> None:
        a, b, c = self.encoder.encode(
            ["I design company logos", "brand identity designer", "I file US tax returns"]
        )
        assert float(a @ b) > float(a @ c) + 0.1


def test_unknown_encoder_names_are_rejected() -> None:
    with pytest.raises(ConfigurationError, match="unknown encoder"):
        create_encoder("word2vec")
