"""IPv4 and IPv6 addresses, validated by the ipaddress module."""

import ipaddress

from presidio_analyzer import Pattern

from detectors.recognizers.base import SpanPatternRecognizer


class IpAddressRecognizer(SpanPatternRecognizer):
    ENTITY = "IP_ADDRESS"
    PREFILTER_GROUP = 3   # compiled with the others of group 3 (recognizers/base.py)
    NEEDS = r"[\d:]"
    PATTERNS = [
        Pattern("ipv4", r"(?<![\w.])(?P<value>(?:\d{1,3}\.){3}\d{1,3})(?![\w]|\.\d)", 0.6),
        Pattern("ipv6", r"(?<![\w:])(?P<value>(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{1,4})(?![\w:])", 0.6),
    ]
    CONTEXT = ["ip", "ip address", "address", "host", "server", "login", "logged"]

    def validate_result(self, pattern_text: str) -> bool:
        try:
            ipaddress.ip_address(pattern_text)
        except ValueError:
            return False
        return True
