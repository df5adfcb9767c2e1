"""The exceptions newsclf raises. The library raises them; only the CLI turns them into
one-line messages and exit codes."""

from __future__ import annotations

__all__ = [
    "ClassifierError",
    "ConfigError",
    "InputError",
    "ModelError",
    "ModelVersionWarning",
    "NewsclfError",
    "NotFittedError",
    "PluginError",
    "TrainingError",
]


class ModelVersionWarning(UserWarning):
    """A model trained with another scikit-learn version than the one running."""


class NewsclfError(Exception):
    """Base class of every error newsclf raises on purpose."""

    exit_code = 1


class InputError(NewsclfError):
    """Input that cannot be read: missing file, bad encoding, malformed record.

    ``location`` names the file (and line) at fault; the message is prefixed with it.
    """

    exit_code = 2

    def __init__(self, message: str, location: str | None = None) -> None:
        self.location = location
        self.reason = message
        super().__init__(f"{location}: {message}" if location else message)

    def at(self, location: str) -> InputError:
        """The same error, located (keeps an existing, more precise location)."""
        return self if self.location else InputError(self.reason, location)


class ConfigError(NewsclfError):
    """A bad option, parameter or rules file."""

    exit_code = 2


class ModelError(NewsclfError):
    """A model file that cannot be saved or loaded (missing, corrupt, untrusted)."""


class NotFittedError(NewsclfError, ValueError, AttributeError):
    """A trainable classifier was asked to predict before it was fitted. (The bases of
    scikit-learn's own ``NotFittedError``; it cannot be subclassed without importing
    scikit-learn, which takes seconds. ``check_is_fitted`` raises scikit-learn's.)"""


class PluginError(NewsclfError):
    """A plugin that failed to load or raised in a hook (an error in strict mode)."""


class TrainingError(NewsclfError, ValueError):
    """Training data that cannot train a model (no records, one class, no labels, as many
    label lists as documents); a ``ValueError``, as scikit-learn's input checks raise.
    Bad input, so the CLI exits with 2."""

    exit_code = 2


class ClassifierError(NewsclfError):
    """A classifier (often a plugin's) raised an unexpected error in ``fit`` or
    ``predict``; the message names the classifier, its plugin and the error."""
