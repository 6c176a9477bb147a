"""Whisper's window decoded again under a token constraint, and texts scored against the window.

The number pass and the spelling pass both re-read a 30 s window from the encoder output the
free pass computed (nothing is encoded twice): a decode that may only write some tokens, after a
prompt and the window's text up to where the value starts, then forced alignment (CTranslate2
`align`) to say how likely each candidate text is. This module holds those two calls; the passes
say what is allowed and what a value looks like.
"""
from __future__ import annotations

import numpy as np

MAX_DECODER_TOKENS = 448      # Whisper's text context


class ConstrainedDecoder:
    def __init__(self, whisper_model):
        from faster_whisper.tokenizer import Tokenizer

        self.whisper = whisper_model
        self.tokenizer = Tokenizer(whisper_model.hf_tokenizer, True, task="transcribe", language="en")

    def readings(self, encoder_output, prompt_tokens: list[int], prefix: str, beam: int,
                 suppress: list[int], longest) -> list[str]:
        """The beam's hypotheses after `prefix`, each without the prefix's own tokens.
        `longest(prompt, skip)`: the decode's max_length for a prompt whose prefix is `skip` tokens."""
        prompt = self.whisper.get_prompt(self.tokenizer, prompt_tokens, without_timestamps=True,
                                         prefix=prefix or None)
        skip = len(self.tokenizer.encode(" " + prefix.strip())) if prefix else 0
        result = self.whisper.model.generate(encoder_output, [prompt], beam_size=beam, num_hypotheses=beam,
                                             max_length=min(longest(prompt, skip), MAX_DECODER_TOKENS),
                                             suppress_blank=False, suppress_tokens=suppress)[0]
        return [self.tokenizer.decode([i for i in ids[skip:] if i < self.tokenizer.eot])
                for ids in result.sequences_ids]

    def likelihood(self, encoder_output, frames: int, text: str) -> float:
        """log P(text | window): the sum of its tokens' log-probabilities by forced alignment.
        The text is read with single spaces: a reading put back into its transcript brings its own
        leading space, and "on  oh two" (two spaces) is tokenised with a bare space token that
        alignment scores as unlikely (the same number scored 10-15 lower on missed calls)."""
        tokens = self.tokenizer.encode(" " + single_spaced(text))
        result = self.whisper.model.align(encoder_output, self.tokenizer.sot_sequence, [tokens], frames)[0]
        return float(np.sum(np.log(np.maximum(result.text_token_probs, 1e-12))))


def single_spaced(*parts: str) -> str:
    """The parts as one text, its words separated by single spaces (how alignment reads a text)."""
    return " ".join(" ".join(parts).split())
