//! posdesk-hq: head office for a chain of posdesk tills, over PostgreSQL.
//!
//! The database comes from `DATABASE_URL` or the `PG*` variables (PGHOST, PGPORT, PGUSER, PGPASSWORD,
//! PGDATABASE). Messages go to stderr; `enroll` prints only the code on stdout.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use posdesk_hq::{AppState, HqError, app, config, enroll, migrate};
use tokio_postgres::NoTls;

#[derive(Parser)]
#[command(
    name = "posdesk-hq",
    version,
    about = "posdesk head office: every till's journal and maintenance in PostgreSQL"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create or update the schema `posdesk` (numbered migrations), the read-only role posdesk_reader and
    /// this season's partitions.
    Migrate,
    /// Serve the tills' HTTP API (put TLS in front: nginx, Caddy or the cloud's load balancer).
    Serve {
        /// Address and port to listen on, e.g. 127.0.0.1:8765.
        #[arg(long, default_value = "127.0.0.1:8765")]
        listen: SocketAddr,
        /// Database connections in the pool.
        #[arg(long, default_value_t = 16)]
        pool_size: usize,
    },
    /// Create the store if it is new and print a one-time enrollment code for one till (one line).
    Enroll {
        /// The store's code, e.g. SH001 (letters, digits, '-', '_', '.').
        store: String,
        /// The store's name as people call it (kept when not given).
        #[arg(long)]
        name: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            posdesk_hq::say!("posdesk-hq: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            posdesk_hq::say!("posdesk-hq: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn connect() -> anyhow::Result<tokio_postgres::Client> {
    let cfg = config::from_env()?;
    let (client, conn) = cfg
        .connect(NoTls)
        .await
        .map_err(|e| anyhow::anyhow!("cannot connect to PostgreSQL ({}): {e}", describe(&cfg)))?;
    tokio::spawn(async move {
        if let Err(e) = conn.await {
            posdesk_hq::say!("posdesk-hq: database connection lost: {e}");
        }
    });
    Ok(client)
}

fn describe(cfg: &tokio_postgres::Config) -> String {
    let host = cfg
        .get_hosts()
        .first()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(h) => h.clone(),
            #[cfg(unix)]
            tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .unwrap_or_default();
    let port = cfg.get_ports().first().copied().unwrap_or(5432);
    format!(
        "{}@{host}:{port}/{}",
        cfg.get_user().unwrap_or(""),
        cfg.get_dbname().unwrap_or("")
    )
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Migrate => {
            let mut client = connect().await?;
            let applied = migrate::migrate(&mut client).await?;
            let version = migrate::schema_version(&client).await?;
            if applied.is_empty() {
                posdesk_hq::say!("posdesk-hq: schema posdesk is up to date (version {version})");
            } else {
                posdesk_hq::say!(
                    "posdesk-hq: applied migrations {applied:?}; schema posdesk is at version {version}"
                );
            }
            Ok(())
        }
        Command::Enroll { store, name } => {
            let mut client = connect().await?;
            require_schema(&client).await?;
            let code = enroll::create_code(&mut client, &store, name.as_deref()).await?;
            println!("{code}");
            Ok(())
        }
        Command::Serve { listen, pool_size } => serve(listen, pool_size).await,
    }
}

async fn require_schema(client: &tokio_postgres::Client) -> anyhow::Result<()> {
    let have = migrate::schema_version(client).await?;
    let want = migrate::MIGRATIONS.last().map_or(0, |m| m.0);
    if have < want {
        anyhow::bail!(
            "the database is at schema {have}, this posdesk-hq needs {want}: run `posdesk-hq migrate`"
        );
    }
    if have > want {
        return Err(HqError::SchemaTooNew {
            database: have,
            binary: want,
        }
        .into());
    }
    Ok(())
}

async fn serve(listen: SocketAddr, pool_size: usize) -> anyhow::Result<()> {
    let cfg = config::from_env()?;
    let client = connect().await?;
    require_schema(&client).await?;
    let made = migrate::ensure_partitions(&client).await?;
    if made > 0 {
        posdesk_hq::say!("posdesk-hq: created partitions for {made} month(s)");
    }
    drop(client);
    let manager = deadpool_postgres::Manager::from_config(
        cfg,
        NoTls,
        deadpool_postgres::ManagerConfig {
            recycling_method: deadpool_postgres::RecyclingMethod::Fast,
        },
    );
    let pool = deadpool_postgres::Pool::builder(manager)
        .max_size(pool_size.max(1))
        .build()?;
    // Partitions for the coming months and old batch replies, once a day (a connection from the pool
    // each time, so a database restart in between does not stop it).
    let daily_pool = pool.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(24 * 3600));
        tick.tick().await;
        loop {
            tick.tick().await;
            let client = match daily_pool.get().await {
                Ok(c) => c,
                Err(e) => {
                    posdesk_hq::say!(
                        "posdesk-hq: daily upkeep skipped, no database connection: {e}"
                    );
                    continue;
                }
            };
            if let Err(e) = migrate::ensure_partitions(&client).await {
                posdesk_hq::say!("posdesk-hq: could not create next months' partitions: {e}");
            }
            if let Err(e) = migrate::prune_batches(&client).await {
                posdesk_hq::say!("posdesk-hq: could not forget old batch replies: {e}");
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
    posdesk_hq::say!("posdesk-hq: serving on http://{}", listener.local_addr()?);
    axum::serve(listener, app(AppState::new(pool)))
        .with_graceful_shutdown(shutdown())
        .await?;
    posdesk_hq::say!("posdesk-hq: stopped");
    Ok(())
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
