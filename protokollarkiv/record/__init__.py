"""The public record: its dates (anslag, the appeal window, publication), seals, personal data."""
