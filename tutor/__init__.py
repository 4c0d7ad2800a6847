"""tutor: a grounded conversational tutor for the Russian Revolution, 1891–1991."""

__version__ = "0.1.0"
