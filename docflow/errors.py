"""DocFlow's exceptions: one root, a small family.

Third-party errors are wrapped where they enter DocFlow, keeping the original as
``__cause__``, so callers handle one family and operators see one kind of message.
"""


class DocflowError(Exception):
    """Root of every error DocFlow raises on purpose."""


class ConfigError(DocflowError):
    """A setting is missing or has a value DocFlow cannot use."""


class InvalidArgument(DocflowError):
    """A job argument or command option is out of range or malformed."""


class NotFound(DocflowError):
    """A tenant, document or job that was asked for does not exist."""


class UploadRejected(DocflowError):
    """An upload was refused; nothing was written."""


class StorageError(DocflowError):
    """A stored file could not be read, written or deleted safely."""


class ClassificationError(DocflowError):
    """The classifier could not classify a document."""


class DatabaseError(DocflowError):
    """The database could not be reached or refused a statement."""


class QueueError(DocflowError):
    """Redis could not be reached or refused a command."""


class WebhookVerificationError(DocflowError):
    """A received webhook's headers or signature do not check out."""


class UnsafeDestination(DocflowError):
    """A webhook URL is not allowed: wrong scheme, or it resolves to a private address."""


class UnresolvableHost(DocflowError):
    """A webhook host's name does not resolve right now (may be temporary, unlike unsafe)."""


class BillingError(DocflowError):
    """The billing service did not accept a usage report."""


class NotificationError(DocflowError):
    """A notice (email) to a tenant could not be sent."""


class TenantBlocked(UploadRejected):
    """The tenant may not upload: over quota, or read-only after its grace period."""


class Refused(DocflowError):
    """An action was refused as a whole: nothing was changed (e.g. a --read-only console)."""


class PermanentError(DocflowError):
    """The same input fails the same way every time, so it is never retried (Dramatiq's
    ``throws``): a document that meets one goes to the dead-letter queue at once."""


class UnreadableDocument(ClassificationError):
    """The text of a stored document could not be extracted (retried, unless permanent)."""


class UnsupportedDocument(UnreadableDocument, PermanentError):
    """The content is of no type DocFlow reads."""


class EncryptedDocument(UnreadableDocument, PermanentError):
    """The document needs a password to open."""


class CorruptDocument(UnreadableDocument, PermanentError):
    """The document is damaged or not what its structure claims; its parser gave up or crashed."""


class LimitExceeded(UnreadableDocument, PermanentError):
    """Reading the document took more time, memory or output than its limits allow."""


class MissingExtra(UnreadableDocument):
    """This worker lacks the optional package that reads the format (retried: install it)."""
