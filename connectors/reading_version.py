"""The version of how files are read into text, beside the detector's (detectors/version.py).

Raise it whenever a change makes the same bytes give another text (a format read that was not, a
decoder that reads differently, a transcription pass): it is part of the stored detector fingerprint,
so files read by the older code are read again at the next scan. The OCR and speech engines' own
versions are in the fingerprint already (scanner/fingerprint.py).

  1  the first stored reading version
  2  the Whisper number pass adds a "(spelled)" transcript line for windows holding a number
  3  the Whisper spelling pass (spelt postcodes, NI numbers, emails) and the number pass's
     eleven-digit-word reading
  4  8 kHz GSM/MP3/OGG... calls upsampled by our step as WAV calls are, and noisy narrowband calls
     upsampled band-limited (connectors/media/condition.py); the number pass reads from the run of
     number words with most digits, with single spaces, and "O2O" as 020 (number_pass.py)
  5  the number pass reads every run of number words holding 8+ digits in a window as a number of
     its own (a second number said in the same 30 s), and repeats a one-digit-short reading's
     digits in its own words (number_pass.py)
  6  the number pass also writes a `(possible)` line for each other UK number it scored within
     POSSIBLE_MARGIN of a number's winner (number_pass.py)
"""

READING_VERSION = "6"
