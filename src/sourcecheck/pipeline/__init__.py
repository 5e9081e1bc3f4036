"""The main job over all stages: check a document, cite its weak claims, and the settings that steer both."""
