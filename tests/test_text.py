import re

from hypothesis import given, settings
from hypothesis import strategies as st

from detector.text import (
    SENTENCE_END_RE,
    TOKEN_RE,
    Document,
    Token,
    paragraph_spans,
    sentence_spans,
    tokenize,
)


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


_PARAGRAPH = st.lists(
    st.sampled_from(
        ["Shares rose.", "Mr. Abe spoke!", "Sony Corp (6758.T) fell 2 percent", "It's  odd ,",
         "U.S. output", "?!", "carbon-fibre", "\t", "(", "Dr. J. Smith said so."]
    ),
    min_size=1,
    max_size=6,
).map(" ".join)  # fmt: skip


@given(st.lists(_PARAGRAPH, min_size=1, max_size=5), st.sampled_from(["\n\n", "\n \n", "\r\n\r\n"]))
def test_a_part_is_the_document_of_its_text(paragraphs, joint):
    doc = Document.of(joint.join(paragraphs))
    spans = doc.paragraphs
    for first in range(len(spans)):
        for last in range(first, len(spans)):
            start, end = spans[first][0], spans[last][1]
            part, fresh = doc.part(start, end), Document.of(doc.text[start:end])
            assert part.text == fresh.text
            assert part.paragraphs == fresh.paragraphs
            assert part.sentences == fresh.sentences
            assert part.tokens == fresh.tokens
            assert part.sentence_tokens == fresh.sentence_tokens
            assert part.n_words == fresh.n_words == len(fresh.words)


#: Pieces of text where tokens meet what the tokenizer steps over (white
#: space of every kind, underscores) and characters that are word characters
#: without being letters or digits.
TOKENIZER_PIECES = st.lists(
    st.sampled_from(
        ["a", "B", "3", ".", "_", " ", "\t", "\n", "\u00a0", "\u2028", "\u3000", "\u200b",
         "²", "½", "é", "'", "’", "-", "3402.T", ".N225", "1,250.5", "\ud800", "\U0001f600"]
    ),
    max_size=40,
).map("".join)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.one_of(TOKENIZER_PIECES, st.text(max_size=200)))
def test_tokens_are_those_of_the_regex_matches(text):
    """Offsets worked out from the token texts are the offsets of the regex's matches."""
    expected = [Token(m.group(), *m.span()) for m in TOKEN_RE.finditer(text)]
    assert tokenize(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.one_of(TOKENIZER_PIECES, st.text(alphabet=st.sampled_from("ab .!?\n\"')"), max_size=80)))
def test_sentence_tokens_are_the_tokens_starting_inside_each_sentence(text):
    doc = Document.of(text)
    groups = [[] for _ in doc.sentences]
    index = 0
    for token in doc.tokens:  # a walk over tokens and sentences side by side
        while index < len(doc.sentences) and token.start >= doc.sentences[index][1]:
            index += 1
        if index == len(doc.sentences):
            break
        if token.start >= doc.sentences[index][0]:
            groups[index].append(token)
    assert doc.sentence_tokens == groups


def test_no_white_space_lies_beyond_the_table_of_stepped_over_characters():
    import sys

    beyond = [code for code in range(0x3001, sys.maxunicode + 1) if chr(code).isspace()]
    assert beyond == []


# The sentence end as first written: a run of marks where no mark stands before.
_PLAIN_SENTENCE_END_RE = re.compile(r"(?<![.!?])[.!?]+[\"'’”)\]]*(?=\s)")


@settings(max_examples=500)
@given(
    st.lists(st.sampled_from([*"ab.!?\"'’”)] \n", "...", "?!"]), max_size=30).map("".join),
    st.integers(0, 40),
    st.integers(0, 40),
)
def test_sentence_ends_are_those_of_the_plain_pattern(text, start, end):
    """The pattern that looks behind after its first mark finds the same ends, in any range."""
    start, end = min(start, len(text)), min(max(start, end), len(text))
    found = [m.span() for m in SENTENCE_END_RE.finditer(text, start, end)]
    assert found == [m.span() for m in _PLAIN_SENTENCE_END_RE.finditer(text, start, end)]
