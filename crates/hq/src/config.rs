//! Where the database is: `DATABASE_URL`, or the usual `PG*` variables (tokio-postgres reads neither).

use thiserror::Error;
use tokio_postgres::Config;

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("DATABASE_URL is not a PostgreSQL connection string: {0}")]
    BadUrl(tokio_postgres::Error),
    #[error("PGPORT is not a port number: {0:?}")]
    BadPort(String),
    #[error(
        "no database given: set DATABASE_URL (postgres://user:password@host/db) or PGHOST, PGUSER, \
         PGPASSWORD and PGDATABASE"
    )]
    Missing,
}

/// The connection settings from the environment: `DATABASE_URL` when set, else `PGHOST`, `PGPORT`,
/// `PGUSER`, `PGPASSWORD`, `PGDATABASE` (as psql reads them; `PGHOST` may be a socket directory).
pub fn from_env() -> Result<Config, ConfigError> {
    from_vars(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
}

/// [`from_env`] over any source of variables (for tests).
pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
    if let Some(url) = var("DATABASE_URL") {
        return url.parse::<Config>().map_err(ConfigError::BadUrl);
    }
    let host = var("PGHOST");
    let user = var("PGUSER").or_else(|| var("USER"));
    if host.is_none() && var("PGDATABASE").is_none() {
        return Err(ConfigError::Missing);
    }
    let mut cfg = Config::new();
    match host {
        Some(h) => {
            for one in h.split(',') {
                cfg.host(one);
            }
        }
        None => {
            cfg.host("localhost");
        }
    }
    if let Some(p) = var("PGPORT") {
        let port: u16 = p.parse().map_err(|_| ConfigError::BadPort(p.clone()))?;
        cfg.port(port);
    }
    if let Some(u) = &user {
        cfg.user(u);
    }
    if let Some(pw) = var("PGPASSWORD") {
        cfg.password(pw);
    }
    match var("PGDATABASE").or(user) {
        Some(db) => {
            cfg.dbname(db);
        }
        None => return Err(ConfigError::Missing),
    }
    cfg.application_name("posdesk-hq");
    Ok(cfg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn pg_variables_make_a_config() {
        let cfg = from_vars(vars(&[
            ("PGHOST", "localhost"),
            ("PGPORT", "5433"),
            ("PGUSER", "postgres"),
            ("PGPASSWORD", "pw"),
            ("PGDATABASE", "hq"),
        ]))
        .unwrap();
        assert_eq!(cfg.get_ports(), &[5433]);
        assert_eq!(cfg.get_user(), Some("postgres"));
        assert_eq!(cfg.get_dbname(), Some("hq"));
        assert_eq!(cfg.get_password(), Some(&b"pw"[..]));
    }

    #[test]
    fn database_url_wins_and_errors_are_clear() {
        let cfg = from_vars(vars(&[
            ("DATABASE_URL", "postgres://a:b@db.example:6000/posdesk"),
            ("PGPORT", "5433"),
        ]))
        .unwrap();
        assert_eq!(cfg.get_ports(), &[6000]);
        assert_eq!(cfg.get_dbname(), Some("posdesk"));
        assert!(matches!(from_vars(vars(&[])), Err(ConfigError::Missing)));
        assert!(matches!(
            from_vars(vars(&[("PGHOST", "x"), ("PGPORT", "port")])),
            Err(ConfigError::BadPort(_))
        ));
    }
}
