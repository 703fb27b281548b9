"""Pure Python shared by every room: the music vocabulary and the sentence-embedding model."""
