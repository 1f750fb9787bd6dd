package keys

import "errors"

// Errors returned by the keystore. They are wrapped with context (use
// errors.Is); the message of the wrapped error names what was wrong.
var (
	// ErrWrongPassphrase: the passphrase or key file does not open this
	// keystore (or backup). Nothing was changed.
	ErrWrongPassphrase = errors.New("wrong passphrase or key file")
	// ErrNoPassphrase: no passphrase was given (VAULTNODE_PASSPHRASE unset or empty).
	ErrNoPassphrase = errors.New("no passphrase given (set " + PassphraseEnv + ")")
	// ErrCredentialKind: the keystore is protected by a passphrase and a key
	// file was given, or the other way round.
	ErrCredentialKind = errors.New("keystore is protected by another kind of credential")
	// ErrNotKeystore: the directory holds no keystore header.
	ErrNotKeystore = errors.New("not a keystore")
	// ErrKeystoreExists: Create was asked to use a directory that is not empty.
	ErrKeystoreExists = errors.New("keystore directory is not empty")
	// ErrUnsupportedVersion: a header, record or backup of a format version this build does not know.
	ErrUnsupportedVersion = errors.New("unsupported format version")
	// ErrCorrupt: stored or imported data failed authentication or decoding
	// (tampered, truncated, or written by something else).
	ErrCorrupt = errors.New("corrupt or tampered data")
	// ErrClosed: the keystore was closed.
	ErrClosed = errors.New("keystore is closed")
	// ErrInvalid: a caller-supplied value is malformed (device id, stream name, MRN, key, parameters).
	ErrInvalid = errors.New("invalid input")
	// ErrUnknownPatient: no patient with that pseudonym or MRN.
	ErrUnknownPatient = errors.New("unknown patient")
	// ErrUnknownDevice: no device with that id.
	ErrUnknownDevice = errors.New("unknown device")
	// ErrUnknownStream: the patient has no stream of that name.
	ErrUnknownStream = errors.New("unknown stream")
	// ErrNoPrivateKey: the device private key was not kept at enrolment.
	ErrNoPrivateKey = errors.New("device private key not kept")
	// ErrExists: the device, stream or MRN is already enrolled.
	ErrExists = errors.New("already exists")
	// ErrDestroyed: the patient's keys were destroyed (erasure); they can
	// never be used, re-created or imported again in this keystore.
	ErrDestroyed = errors.New("patient keys destroyed")
	// ErrForeignBackup: the backup belongs to another node (different tag key)
	// and ImportOptions.ReplaceNode was not set.
	ErrForeignBackup = errors.New("backup belongs to another node")
	// ErrDestroyIncomplete: after Destroy, some version of a destroyed record
	// was still present in the database. Destroy can be retried.
	ErrDestroyIncomplete = errors.New("key destruction incomplete")
)
