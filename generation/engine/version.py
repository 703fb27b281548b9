"""The engine's name and version, recorded in every manifest; bump the version when output changes."""

ENGINE_NAME = "procedural"
ENGINE_VERSION = "0.1.0"
