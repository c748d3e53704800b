//! posdesk-hq: head office (being built; see crates/sync-proto for the protocol).
fn main() {}
