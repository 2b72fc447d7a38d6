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

    def test_one_pass_gives_the_sentence_vector_and_span_vectors(self) -> None:
        texts = ["Backend engineer. I build REST APIs in Django.", "Logo design", "x " * 300]
        spans = [[(0, 7), (30, 39)], [(0, 4)], [(0, 1), (598, 599)]]  # the last: truncated away
        joint = self.encoder.encode_with_spans(texts, spans)
        plain = self.encoder.encode(texts)
        for (whole, parts), vector, wanted in zip(joint, plain, spans, strict=True):
            assert float(whole @ vector) > 0.9999
            assert parts.shape == (len(wanted), self.encoder.dim)
        assert not joint[2][1][1].any()  # a span beyond the model's window has no vector
        single = self.encoder.encode_spans(texts[0], spans[0])
        assert abs(single - joint[0][1]).max() < 1e-4


def test_unknown_encoder_names_are_rejected() -> None:
    with pytest.raises(ConfigurationError, match="unknown encoder"):
        create_encoder("word2vec")
