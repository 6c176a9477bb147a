"""Subject requests: the access (SAR) pack, erasure plans and their application, the suppression register.

    from scanner.requests import load_subject, build_sar, build_plan, apply_plan, suppressed_hits
"""
from .subject import Subject, load_subject
from .suppression import suppressed_hits

__all__ = ["Subject", "load_subject", "suppressed_hits"]
