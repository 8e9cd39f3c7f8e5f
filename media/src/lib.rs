//! Live video for a share session.
