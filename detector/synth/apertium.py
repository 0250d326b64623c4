"""Round trips through Apertium: English -> pivot language -> English.

Apertium is a rule-based MT engine packaged by Debian. A round trip through
it leaves the classic artifacts of cheap MT: word-by-word phrasing ("the
Wall Street Journal informed the Thursday"), wrong senses, dropped subject
pronouns, lost or lowercased instrument codes (``(7203.t)``). Each pivot
language leaves its own mix, so several are used.

Speed matters on a 40,000-document corpus: starting the engine costs about
as much as translating a short article, so many documents go through one
engine call. They are joined with a separator paragraph (``|||17|||``) that
every pivot passes through unchanged (checked for the four pairs below) and
split again afterwards; paragraph breaks inside a document survive the
``txt`` format as they are. A document whose separator got lost is
translated again on its own.

>>> PIVOTS["spa"].forward, PIVOTS["spa"].backward, PIVOTS["spa"].package
('eng-spa', 'spa-eng', 'apertium-eng-spa')
>>> split_batch(join_batch(["One.\\n\\nTwo.", "Three."]), 2)
['One.\\n\\nTwo.', 'Three.']
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Pivot:
    """A pivot language: the two Apertium modes of its round trip and their package."""

    code: str
    forward: str
    backward: str
    package: str


#: Pivot languages by ISO 639-3 code. Mode names are those of the Debian packages
#: (``ls /usr/share/apertium/modes``).
PIVOTS: dict[str, Pivot] = {
    "spa": Pivot("spa", "eng-spa", "spa-eng", "apertium-eng-spa"),
    "cat": Pivot("cat", "eng-cat", "cat-eng", "apertium-eng-cat"),
    "glg": Pivot("glg", "en-gl", "gl-en", "apertium-en-gl"),
    "epo": Pivot("epo", "en-eo", "eo-en", "apertium-eo-en"),
}

#: Separator paragraph between documents of one batch; ``{}`` is the index.
SEPARATOR = "|||{}|||"

_SEPARATOR_RE = re.compile(r"^[ \t]*\|\|\|(\d+)\|\|\|[ \t]*$", re.MULTILINE)

# Apertium marks a word it could not inflect in the target language with '#'
# ("move# away"); the bare lemma is what a reader of such output sees once
# the marks are stripped, so the word is kept without the mark.
_GENERATION_MARK_RE = re.compile(r"(?<=\w)#|#(?=\w)")

# A dropped pro-drop subject ("but  said") leaves a double space; collapsed so
# that white space is not a give-away no real pipeline would leave.
_SPACE_RUN_RE = re.compile(r"[ \t]+")


class ApertiumError(RuntimeError):
    """The Apertium engine failed."""


class ApertiumMissing(ApertiumError):
    """Apertium, or the language pair of a pivot, is not installed."""


def install_hint(pivots: Sequence[str]) -> str:
    """The ``apt-get`` line that installs Apertium and the pairs of ``pivots``.

    >>> install_hint(["spa", "glg"])
    'sudo apt-get install apertium apertium-eng-spa apertium-en-gl'
    """
    packages = ["apertium", *(PIVOTS[code].package for code in pivots)]
    return "sudo apt-get install " + " ".join(packages)


def join_batch(texts: Sequence[str]) -> str:
    """Join documents into one engine input, separated by numbered separator paragraphs."""
    parts = []
    for index, text in enumerate(texts):
        parts.append(SEPARATOR.format(index))
        # A separator look-alike inside a document would split it in two.
        parts.append(text.replace("|||", "| | |"))
    return "\n\n".join(parts) + "\n"


def split_batch(output: str, count: int) -> list[str | None]:
    """Split engine output back into ``count`` documents (``None`` where a separator got lost)."""
    pieces: list[str | None] = [None] * count
    matches = list(_SEPARATOR_RE.finditer(output))
    for position, match in enumerate(matches):
        index = int(match.group(1))
        end = matches[position + 1].start() if position + 1 < len(matches) else len(output)
        if 0 <= index < count and pieces[index] is None:
            pieces[index] = clean_output(output[match.end() : end])
    return pieces


def clean_output(text: str) -> str:
    """Tidy engine output: strip generation marks, collapse spaces, one blank line per break.

    >>> clean_output("  He move# away  from it.\\n\\n\\nNew  one. ")
    'He move away from it.\\n\\nNew one.'
    """
    text = _GENERATION_MARK_RE.sub("", text)
    paragraphs = []
    for paragraph in re.split(r"\n[ \t]*\n\s*", text):
        lines = [_SPACE_RUN_RE.sub(" ", line).strip() for line in paragraph.splitlines()]
        joined = "\n".join(line for line in lines if line)
        if joined:
            paragraphs.append(joined)
    return "\n\n".join(paragraphs)


@dataclass
class Apertium:
    """The Apertium command-line engine.

    Parameters
    ----------
    executable
        The ``apertium`` script (name on ``PATH`` or a path).
    data_dir
        Linguistic data folder (``apertium -d``); the engine's default when ``None``.
    timeout
        Seconds one engine call may take before it is stopped.
    """

    executable: str = "apertium"
    data_dir: str | None = None
    timeout: float | None = 3600.0

    def _command(self, mode: str) -> list[str]:
        command = [self.executable]
        if self.data_dir is not None:
            command += ["-d", self.data_dir]
        return [*command, "-u", mode]

    def available_modes(self) -> set[str]:
        """Translation directions the engine offers (``apertium -l``).

        Raises
        ------
        ApertiumMissing
            When the executable cannot be found or run.
        """
        if shutil.which(self.executable) is None:
            raise ApertiumMissing(
                f"Apertium not found ({self.executable!r} is not an executable on PATH): "
                f"{install_hint(list(PIVOTS))}"
            )
        command = [self.executable]
        if self.data_dir is not None:
            command += ["-d", self.data_dir]
        try:
            listing = subprocess.run(
                [*command, "-l"], capture_output=True, text=True, timeout=60, check=False
            )
        except OSError as error:
            raise ApertiumMissing(
                f"cannot run {self.executable}: {error}: {install_hint(list(PIVOTS))}"
            ) from error
        return {line.strip() for line in listing.stdout.splitlines() if line.strip() != "*"}

    def check(self, pivots: Sequence[str]) -> None:
        """Fail early, with the ``apt-get`` line, unless every pivot's pair is installed.

        Raises
        ------
        ApertiumMissing
            When the engine or a language pair is missing.
        KeyError
            For a pivot code not in :data:`PIVOTS`.
        """
        unknown = [code for code in pivots if code not in PIVOTS]
        if unknown:
            raise KeyError(f"unknown pivot {unknown[0]!r}; known: {', '.join(PIVOTS)}")
        modes = self.available_modes()
        missing = [
            code
            for code in pivots
            if PIVOTS[code].forward not in modes or PIVOTS[code].backward not in modes
        ]
        if missing:
            names = ", ".join(f"{PIVOTS[code].forward}/{PIVOTS[code].backward}" for code in missing)
            raise ApertiumMissing(
                f"Apertium language pair not installed ({names}): {install_hint(missing)}"
            )

    def _run_round_trip(self, text: str, pivot: Pivot) -> str:
        # Input from a file and the two directions chained process to process:
        # no pipe buffer can fill up while Python waits, and the two halves of
        # the round trip run at the same time.
        with tempfile.TemporaryFile("w+b") as source, tempfile.TemporaryFile("w+b") as errors:
            source.write(text.encode("utf-8"))
            source.seek(0)
            try:
                first = subprocess.Popen(
                    self._command(pivot.forward),
                    stdin=source,
                    stdout=subprocess.PIPE,
                    stderr=errors,
                )
            except OSError as error:
                raise ApertiumMissing(
                    f"cannot run {self.executable}: {error}: {install_hint([pivot.code])}"
                ) from error
            assert first.stdout is not None
            second = subprocess.Popen(
                self._command(pivot.backward),
                stdin=first.stdout,
                stdout=subprocess.PIPE,
                stderr=errors,
            )
            first.stdout.close()
            try:
                output, _ = second.communicate(timeout=self.timeout)
                first.wait(timeout=self.timeout)
            except subprocess.TimeoutExpired as error:
                first.kill()
                second.kill()
                second.communicate()
                first.wait()
                raise ApertiumError(
                    f"apertium {pivot.forward}/{pivot.backward} took over {self.timeout} s"
                ) from error
            if first.returncode != 0 or second.returncode != 0:
                errors.seek(0)
                message = errors.read().decode("utf-8", "replace").strip().splitlines()
                raise ApertiumError(
                    f"apertium {pivot.forward}/{pivot.backward} failed "
                    f"(exit {first.returncode}/{second.returncode}): "
                    f"{message[-1] if message else 'no message'}"
                )
        return output.decode("utf-8", errors="replace")

    def round_trip(self, texts: Sequence[str], pivot: str) -> list[str]:
        """Translate every text to the pivot language and back, in one engine call.

        Paragraphs (blocks separated by a blank line) are kept.

        >>> Apertium().round_trip(["Toyota (7203.T) rose.\\n\\nIt fell."], "cat")
        ... # doctest: +SKIP
        ['Toyota (7203.t) ascended.\\n\\nIt fell.']
        """
        if not texts:
            return []
        spec = PIVOTS[pivot]
        pieces = split_batch(self._run_round_trip(join_batch(texts), spec), len(texts))
        result = []
        for text, piece in zip(texts, pieces, strict=True):
            if piece is None:
                piece = clean_output(self._run_round_trip(text + "\n", spec))
            result.append(piece)
        return result
