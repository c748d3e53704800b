//! `posdesk-hq serve`: the HTTP JSON API of `sync_proto` (gzip both ways), over a connection pool.

use std::sync::Arc;
use std::sync::atomic::AtomicU32;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use deadpool_postgres::Pool;
use serde::Serialize;
use serde_json::Value;
use sync_proto::{
    ENROLL_PATH, EPOCH_PATH, EnrollRequest, EpochRequest, EpochResponse, ErrorReply, HEALTH_PATH,
    MAX_BODY_BYTES, MAX_EVENTS, MIN_PROTO, PROTO, PUSH_PATH, PushBatch,
};
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;

use crate::HqError;
use crate::apply::{self, Device, PushOutcome};
use crate::enroll::{self, Refusal};

/// Fault injection for tests (never set by `posdesk-hq serve`).
#[derive(Debug, Default)]
pub struct Hooks {
    /// While above 0, a push does all its work and then fails just before COMMIT (and counts down).
    pub fail_before_commit: AtomicU32,
}

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub hooks: Arc<Hooks>,
}

impl AppState {
    pub fn new(pool: Pool) -> AppState {
        AppState {
            pool,
            hooks: Arc::new(Hooks::default()),
        }
    }
}

/// The service's routes.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route(HEALTH_PATH, get(health))
        .route(ENROLL_PATH, post(enroll_device))
        .route(PUSH_PATH, post(push))
        .route(EPOCH_PATH, post(new_epoch))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestDecompressionLayer::new())
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// Head office's clock, ms since the Unix epoch.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// An answer that is not 200.
#[derive(Debug)]
pub enum ApiError {
    BadRequest(String),
    Unauthorized,
    Forbidden(&'static str, String),
    Enroll(Refusal),
    Unavailable(String),
    Conflict(sync_proto::EpochConflict),
}

impl From<HqError> for ApiError {
    fn from(e: HqError) -> ApiError {
        crate::say!("posdesk-hq: {e}");
        ApiError::Unavailable(e.to_string())
    }
}

impl From<deadpool_postgres::PoolError> for ApiError {
    fn from(e: deadpool_postgres::PoolError) -> ApiError {
        HqError::from(e).into()
    }
}

impl From<tokio_postgres::Error> for ApiError {
    fn from(e: tokio_postgres::Error) -> ApiError {
        HqError::from(e).into()
    }
}

fn reply(status: StatusCode, error: &str, message: String) -> Response {
    (
        status,
        axum::Json(ErrorReply {
            error: error.into(),
            message,
        }),
    )
        .into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::BadRequest(m) => reply(StatusCode::BAD_REQUEST, "bad_request", m),
            ApiError::Unauthorized => reply(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "no device token, or a token head office does not know: enroll this till again"
                    .into(),
            ),
            ApiError::Forbidden(code, m) => reply(StatusCode::FORBIDDEN, code, m),
            ApiError::Enroll(Refusal::UnknownCode) => reply(
                StatusCode::NOT_FOUND,
                "unknown_code",
                "head office does not know this enrollment code: check it, or ask for a new one"
                    .into(),
            ),
            ApiError::Enroll(Refusal::CodeUsed) => reply(
                StatusCode::GONE,
                "code_used",
                "this enrollment code was already used: ask head office for a new one".into(),
            ),
            ApiError::Enroll(Refusal::CodeExpired) => reply(
                StatusCode::GONE,
                "code_expired",
                "this enrollment code has expired: ask head office for a new one".into(),
            ),
            ApiError::Unavailable(m) => {
                let mut r = reply(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    format!("head office cannot take this now, try again later ({m})"),
                );
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
                r
            }
            ApiError::Conflict(c) => (StatusCode::CONFLICT, axum::Json(c)).into_response(),
        }
    }
}

fn json<T: Serialize>(v: &T) -> Response {
    (StatusCode::OK, axum::Json(v)).into_response()
}

fn parse<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::BadRequest(format!("not a valid request: {e}")))
}

async fn health() -> Response {
    json(&serde_json::json!({ "ok": true, "server_time": now_ms() }))
}

async fn enroll_device(State(st): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let req: EnrollRequest = parse(&body)?;
    let mut client = st.pool.get().await?;
    match enroll::redeem(&mut client, &req, now_ms()).await? {
        Ok(resp) => Ok(json(&resp)),
        Err(refusal) => Err(ApiError::Enroll(refusal)),
    }
}

/// The device the bearer token names (a revoked device is refused).
async fn authenticate(st: &AppState, headers: &HeaderMap) -> Result<Device, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::Unauthorized)?;
    let client = st.pool.get().await?;
    let stmt = client
        .prepare_cached(
            "SELECT id, store_id, revoked_at IS NOT NULL FROM posdesk.device WHERE token_sha256 = $1",
        )
        .await?;
    let row = client
        .query_opt(&stmt, &[&enroll::sha256(token.as_bytes())])
        .await?
        .ok_or(ApiError::Unauthorized)?;
    if row.get::<_, bool>(2) {
        return Err(ApiError::Forbidden(
            "revoked",
            "head office removed this till: enroll it again to sync".into(),
        ));
    }
    Ok(Device {
        id: row.get(0),
        store_id: row.get(1),
    })
}

async fn push(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let server_ms = now_ms();
    let device = authenticate(&st, &headers).await?;
    let batch: PushBatch<Value> = parse(&body)?;
    if !(MIN_PROTO..=PROTO).contains(&batch.proto) {
        return Err(ApiError::BadRequest(format!(
            "protocol {} is not spoken here (head office speaks {MIN_PROTO} to {PROTO}): update posdesk",
            batch.proto
        )));
    }
    if batch.device_id != device.id {
        return Err(ApiError::Forbidden(
            "revoked",
            "the batch names another device than the token: enroll this till again".into(),
        ));
    }
    if batch.events.len() > MAX_EVENTS {
        return Err(ApiError::BadRequest(format!(
            "{} events in one batch, at most {MAX_EVENTS}",
            batch.events.len()
        )));
    }
    if batch.first_seq > batch.last_seq {
        return Err(ApiError::BadRequest("first_seq is after last_seq".into()));
    }
    match apply::push(&st.pool, &st.hooks, device, batch, server_ms).await? {
        PushOutcome::Done(resp) => Ok(json(&resp)),
        PushOutcome::Conflict(c) => Err(ApiError::Conflict(c)),
    }
}

async fn new_epoch(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let device = authenticate(&st, &headers).await?;
    let req: EpochRequest = parse(&body)?;
    if req.device_id != device.id {
        return Err(ApiError::Forbidden(
            "revoked",
            "the request names another device than the token: enroll this till again".into(),
        ));
    }
    let client = st.pool.get().await?;
    let row = client
        .query_one(
            "UPDATE posdesk.device SET epoch = epoch + 1, epoch_changes = epoch_changes + 1, acked_seq = 0,
                 last_seen_at = now()
             WHERE id = $1 RETURNING epoch, max_hlc",
            &[&device.id],
        )
        .await?;
    let epoch: i32 = row.get(0);
    let max_hlc: i64 = row.get(1);
    Ok(json(&EpochResponse {
        epoch: u32::try_from(epoch).unwrap_or(0),
        acked_seq: 0,
        max_hlc: u64::try_from(max_hlc).unwrap_or(0),
        server_time: now_ms(),
    }))
}
