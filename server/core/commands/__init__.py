"""The conversation core's command API: every protocol acts on a conversation through these.

Each command validates once, reserves the thread before anything is recorded (a refused command
leaves no trace), records what it did as events, and honours the client's idempotency key. The
adapters (``server.protocols``) parse their requests into these calls and map the log to frames.
"""
