from hypothesis import given
from hypothesis import strategies as st

from detector.text import Document, paragraph_spans, sentence_spans, tokenize


def test_ticker_tokens_keep_their_suffix():
    tokens = [t.text for t in tokenize("Toray Industries (3402.T) and the Nikkei .N225 rose")]
    assert "3402.T" in tokens
    assert ".N225" in tokens


def test_sentences_do_not_cross_paragraphs():
    doc = Document.of("First one. Second one\n\nThird one.")
    assert [doc.text[s:e] for s, e in doc.sentences] == ["First one.", "Second one", "Third one."]


def test_sentence_tokens_cover_every_token_inside_sentences():
    doc = Document.of("Shares rose. Sony Corp (6758.T) fell 2 percent.")
    flat = [t for group in doc.sentence_tokens for t in group]
    assert flat == doc.tokens


@given(st.text())
def test_spans_are_exact_and_ordered(text):
    for start, end in paragraph_spans(text):
        assert text[start:end].strip() == text[start:end] != ""
    for start, end in sentence_spans(text):
        assert text[start:end].strip() == text[start:end] != ""
    previous = 0
    for token in tokenize(text):
        assert text[token.start : token.end] == token.text
        assert token.start >= previous
        previous = token.end
