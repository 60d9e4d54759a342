"""Recognising the parts of Swedish minutes in plain lines of text."""
