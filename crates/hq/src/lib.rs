//! posdesk head office over PostgreSQL (being built).
