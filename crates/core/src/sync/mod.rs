//! The till's side of head-office sync: the till's identity (`sync.json` in the data folder, never in
//! the database, so a backup copied to another PC does not clone it), and one sync run that sends the
//! outbox (store::outbox) in batches over the protocol of `sync_proto`.
//!
//! Nothing here blocks on a user: the CLI calls [`sync_now`] directly, the window on a worker thread.
//! A failure at any point leaves the outbox as it was (markers are deleted only for batches head
//! office answered), so a dropped network loses nothing; the next run sends again, and head office
//! applies every event idempotently.

mod transport;

pub use transport::{HttpTransport, Reply, Transport, TransportError};

use crate::clock::Clock;
use crate::i18n::{Explain, Msg};
use crate::store::{Store, StoreError};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use sync_proto::{
    EnrollRequest, EnrollResponse, EpochConflict, EpochRequest, EpochResponse, ErrorReply,
    PushBatch, PushResponse,
};
use thiserror::Error;
use uuid::Uuid;

/// The identity file's name in the data folder (an output target never; see `fsx`).
pub const IDENTITY_FILE: &str = "sync.json";

/// A PC clock this far from head office's is said to be wrong.
pub const CLOCK_TOLERANCE_MS: i64 = 2 * 60 * 1000;

/// How many events one push carries at most (the protocol's limit).
pub const BATCH: usize = sync_proto::MAX_EVENTS;

/// `sync.json`: who this till is at head office, and how the last sync went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncFile {
    /// Head office's address as enrolled (`https://hq.example.cn`, `http://10.0.0.5:8765`).
    pub url: String,
    pub device_id: Uuid,
    pub store_id: Uuid,
    pub store_code: String,
    /// The bearer token (head office keeps only its hash).
    pub token: String,
    /// The outbox numbering head office knows this till by (a restore starts a new one).
    pub epoch: u32,
    #[serde(default)]
    pub last_ok: Option<Timestamp>,
    #[serde(default)]
    pub last_attempt: Option<Timestamp>,
    /// The last failure in words, both languages; cleared by a successful sync.
    #[serde(default)]
    pub last_error: Option<Msg>,
    /// This PC's clock minus head office's, as last measured (ms).
    #[serde(default)]
    pub clock_skew_ms: Option<i64>,
}

impl SyncFile {
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(IDENTITY_FILE)
    }

    /// The identity, or `None` when this till was never enrolled.
    pub fn load(data_dir: &Path) -> Result<Option<SyncFile>, SyncError> {
        let path = SyncFile::path(data_dir);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| SyncError::BadFile {
                    path,
                    detail: e.to_string(),
                }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(SyncError::File { path, cause: e }),
        }
    }

    /// Write the file whole or not at all.
    pub fn save(&self, data_dir: &Path) -> Result<(), SyncError> {
        let path = SyncFile::path(data_dir);
        let json = serde_json::to_vec_pretty(self).map_err(|e| SyncError::BadFile {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        crate::fsx::write_whole(&path, crate::fsx::Replace::Yes, |w| {
            std::io::Write::write_all(w, &json)
        })
        .map_err(|cause| SyncError::File { path, cause })
    }

    /// A sentence about this PC's clock when it is more than [`CLOCK_TOLERANCE_MS`] off.
    pub fn clock_warning(&self) -> Option<Msg> {
        clock_warning(self.clock_skew_ms?)
    }
}

/// "The PC's clock is 3 h 5 min ahead of head office", when it is off by more than the tolerance.
pub fn clock_warning(skew_ms: i64) -> Option<Msg> {
    if skew_ms.abs() <= CLOCK_TOLERANCE_MS {
        return None;
    }
    let minutes = skew_ms.unsigned_abs() / 60_000;
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let en_span = match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, h) => format!("{h} h {mins} min"),
        (d, h) => format!("{d} days {h} h"),
    };
    let zh_span = match (days, hours) {
        (0, 0) => format!("{mins} 分钟"),
        (0, h) => format!("{h} 小时 {mins} 分钟"),
        (d, h) => format!("{d} 天 {h} 小时"),
    };
    let (en_dir, zh_dir) = if skew_ms > 0 {
        ("ahead of", "快")
    } else {
        ("behind", "慢")
    };
    Some(Msg::new(
        format!(
            "This PC's clock is {en_span} {en_dir} head office's. Set the PC's date and time; records \
             keep their order meanwhile."
        ),
        format!(
            "这台电脑的时钟比总部{zh_dir}了 {zh_span}。请校正电脑的日期和时间；在此期间记录的先后顺序不受影响。"
        ),
    ))
}

#[derive(Debug, Error)]
pub enum SyncError {
    #[error("this till is not enrolled with head office; run `posdesk sync enroll URL CODE`")]
    NotEnrolled,
    #[error("this till is already enrolled with head office ({0}); nothing was changed")]
    AlreadyEnrolled(String),
    #[error(
        "head office at {url} cannot be reached ({detail}); nothing was lost, the changes wait"
    )]
    Unreachable { url: String, detail: String },
    #[error("head office refused the enrollment code ({0})")]
    CodeRefused(String),
    #[error(
        "head office removed this till or does not know its key ({0}); ask head office to enroll it again"
    )]
    Revoked(String),
    #[error(
        "head office answered with an error ({status}: {detail}); nothing was lost, the changes wait"
    )]
    Server { status: u16, detail: String },
    #[error("{0}")]
    Store(StoreError),
    #[error("cannot read or write {path}: {cause}")]
    File {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{path} is not a posdesk sync file ({detail})")]
    BadFile { path: PathBuf, detail: String },
    #[error("this data has no folder to keep the till's identity in")]
    NoDataFolder,
    #[error("the address {0:?} is not a web address (http://… or https://…)")]
    BadUrl(String),
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        SyncError::Store(e)
    }
}

impl Explain for SyncError {
    fn explain(&self) -> Msg {
        match self {
            SyncError::NotEnrolled => Msg::new(
                "This till is not connected to head office. Enroll it with the address and the code head office gave you.",
                "这台收银机尚未连接总部。请用总部提供的地址和代码进行登记。",
            ),
            SyncError::AlreadyEnrolled(store) => Msg::new(
                self.to_string(),
                format!("这台收银机已在总部登记（{store}）；没有做任何更改"),
            ),
            SyncError::Unreachable { url, detail } => Msg::new(
                format!(
                    "Head office ({url}) cannot be reached right now ({detail}). Nothing is lost: the \
                     records wait on this PC and are sent when the connection is back."
                ),
                format!(
                    "暂时无法连接总部（{url}）（{detail}）。没有丢失任何内容：记录保存在这台电脑上，连接恢复后会自动发送。"
                ),
            ),
            SyncError::CodeRefused(why) => Msg::new(
                format!(
                    "Head office refused the code ({why}). Codes work once and expire; ask head office for a new one."
                ),
                format!(
                    "总部拒绝了这个代码（{why}）。代码只能用一次且会过期；请向总部索取新代码。"
                ),
            ),
            SyncError::Revoked(why) => Msg::new(
                format!(
                    "Head office no longer accepts this till ({why}). Nothing is lost here; ask head office \
                     for a new code and enroll again."
                ),
                format!(
                    "总部不再接受这台收银机（{why}）。本机数据没有丢失；请向总部索取新代码后重新登记。"
                ),
            ),
            SyncError::Server { status, detail } => Msg::new(
                self.to_string(),
                format!("总部返回错误（{status}：{detail}）；没有丢失任何内容，记录会稍后再发送"),
            ),
            SyncError::Store(e) => e.explain(),
            SyncError::File { path, cause } => Msg::new(
                self.to_string(),
                format!("无法读写 {}：{cause}", path.display()),
            ),
            SyncError::BadFile { path, detail } => Msg::new(
                self.to_string(),
                format!("{} 不是 posdesk 的同步文件（{detail}）", path.display()),
            ),
            SyncError::NoDataFolder => {
                Msg::new(self.to_string(), "当前数据没有可保存收银机身份的文件夹")
            }
            SyncError::BadUrl(url) => Msg::new(
                self.to_string(),
                format!("地址 {url:?} 不是网址（应以 http:// 或 https:// 开头）"),
            ),
        }
    }
}

/// What one sync run did: the CLI's `{"pushed":N,"acked":N,"rejected":N,"pending":N}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Events sent in batches head office answered.
    pub pushed: u64,
    /// Of those, events head office took.
    pub acked: u64,
    /// Of those, events head office refused for good (kept aside at the till).
    pub rejected: u64,
    /// Changes still waiting.
    pub pending: u64,
}

fn join(url: &str, path: &str) -> String {
    format!("{}{path}", url.trim_end_matches('/'))
}

fn error_detail(reply: &Reply) -> String {
    serde_json::from_slice::<ErrorReply>(&reply.body)
        .map(|e| e.error)
        .unwrap_or_else(|_| {
            String::from_utf8_lossy(&reply.body)
                .chars()
                .take(120)
                .collect()
        })
}

/// Enroll this till: send the one-time code, keep the identity in `sync.json`.
pub fn enroll(
    data_dir: &Path,
    url: &str,
    code: &str,
    device_name: &str,
    transport: &dyn Transport,
    clock: &Clock,
) -> Result<SyncFile, SyncError> {
    let url = url.trim();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(SyncError::BadUrl(url.to_string()));
    }
    if let Some(existing) = SyncFile::load(data_dir)? {
        return Err(SyncError::AlreadyEnrolled(existing.store_code));
    }
    let req = EnrollRequest {
        code: code.trim().to_string(),
        device_name: device_name.to_string(),
        app_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let body = serde_json::to_vec(&req).map_err(|e| SyncError::Server {
        status: 0,
        detail: e.to_string(),
    })?;
    let reply = transport
        .post(&join(url, sync_proto::ENROLL_PATH), None, &body)
        .map_err(|e| SyncError::Unreachable {
            url: url.to_string(),
            detail: e.0,
        })?;
    match reply.status {
        200 => {}
        400 | 404 | 410 => return Err(SyncError::CodeRefused(error_detail(&reply))),
        status => {
            return Err(SyncError::Server {
                status,
                detail: error_detail(&reply),
            });
        }
    }
    let got: EnrollResponse = parse(&reply)?;
    let now = clock.now();
    let file = SyncFile {
        url: url.to_string(),
        device_id: got.device_id,
        store_id: got.store_id,
        store_code: got.store_code,
        token: got.token,
        epoch: got.epoch,
        last_ok: None,
        last_attempt: None,
        last_error: None,
        clock_skew_ms: Some(now.as_millisecond() - got.server_time),
    };
    file.save(data_dir)?;
    Ok(file)
}

fn parse<T: serde::de::DeserializeOwned>(reply: &Reply) -> Result<T, SyncError> {
    serde_json::from_slice(&reply.body).map_err(|e| SyncError::Server {
        status: reply.status,
        detail: format!("unreadable reply: {e}"),
    })
}

/// One sync run: send every waiting change, in batches of at most [`BATCH`], and record how it went
/// in `sync.json` (last success, last error, the clock's skew). Stops at the first failure; what was
/// not answered stays in the outbox.
pub fn sync_now(
    store: &mut Store,
    data_dir: &Path,
    transport: &dyn Transport,
) -> Result<Report, SyncError> {
    let Some(mut file) = SyncFile::load(data_dir)? else {
        return Err(SyncError::NotEnrolled);
    };
    let now = store.clock().now();
    file.last_attempt = Some(now);
    let result = push_all(store, &mut file, transport);
    match &result {
        Ok(_) => {
            file.last_ok = Some(store.clock().now());
            file.last_error = None;
        }
        Err(e) => file.last_error = Some(e.explain()),
    }
    // The report stands even if the status cannot be written (a read-only folder says so next time).
    let saved = file.save(data_dir);
    let report = result?;
    saved?;
    Ok(report)
}

fn push_all(
    store: &mut Store,
    file: &mut SyncFile,
    transport: &dyn Transport,
) -> Result<Report, SyncError> {
    let mut report = Report::default();
    if store.sync_restored()? {
        new_epoch(store, file, transport)?;
    }
    let mut limit = BATCH;
    let mut epoch_changes = 0;
    // Bounded: every round either empties a batch's markers or changes the epoch (at most twice).
    loop {
        let batch = store.outbox_batch(limit)?;
        if batch.seqs.is_empty() {
            break;
        }
        if batch.events.is_empty() {
            store.outbox_done(&batch.seqs, &[])?;
            continue;
        }
        let pending = store.outbox_pending()?;
        let sent_at = store.clock().now().as_millisecond();
        let push = PushBatch {
            proto: sync_proto::PROTO,
            device_id: file.device_id,
            epoch: file.epoch,
            batch_id: Uuid::now_v7(),
            first_seq: batch.events.iter().map(|e| e.seq).min().unwrap_or(0),
            last_seq: batch.events.iter().map(|e| e.seq).max().unwrap_or(0),
            device_time: sent_at,
            pending: pending.saturating_sub(batch.seqs.len() as u64),
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            schema_version: crate::store::SCHEMA_VERSION,
            events: batch.events,
        };
        let body = serde_json::to_vec(&push).map_err(|e| SyncError::Server {
            status: 0,
            detail: e.to_string(),
        })?;
        let reply = transport
            .post(
                &join(&file.url, sync_proto::PUSH_PATH),
                Some(&file.token),
                &body,
            )
            .map_err(|e| SyncError::Unreachable {
                url: file.url.clone(),
                detail: e.0,
            })?;
        match reply.status {
            200 => {
                let got: PushResponse = parse(&reply)?;
                let received_at = store.clock().now().as_millisecond();
                observe(
                    store,
                    file,
                    got.server_time,
                    sent_at,
                    received_at,
                    got.max_hlc,
                )?;
                let rejected: Vec<(i64, String)> = got
                    .rejected
                    .iter()
                    .map(|r| (r.seq as i64, r.reason.clone()))
                    .collect();
                store.outbox_done(&batch.seqs, &rejected)?;
                let n = push.events.len() as u64;
                report.pushed += n;
                report.rejected += rejected.len() as u64;
                report.acked += n.saturating_sub(rejected.len() as u64);
                // Head office acknowledged more than this data ever numbered: it was restored from
                // an older copy without posdesk's restore (a file copied back). Start a new epoch.
                if got.acked_seq as i64 > store.outbox_max_seq()? && epoch_changes < 2 {
                    epoch_changes += 1;
                    new_epoch(store, file, transport)?;
                }
            }
            409 => {
                let got: EpochConflict = parse(&reply)?;
                if epoch_changes >= 2 {
                    return Err(SyncError::Server {
                        status: 409,
                        detail: format!("epoch {} still refused", got.epoch),
                    });
                }
                epoch_changes += 1;
                new_epoch(store, file, transport)?;
            }
            413 if limit > 1 => limit = (limit / 2).max(1),
            401 | 403 => return Err(SyncError::Revoked(error_detail(&reply))),
            status => {
                return Err(SyncError::Server {
                    status,
                    detail: error_detail(&reply),
                });
            }
        }
    }
    report.pending = store.outbox_pending()?;
    Ok(report)
}

/// Learn the clock offset (head office's time against the middle of the round trip) and the
/// highest HLC head office has from this till.
fn observe(
    store: &mut Store,
    file: &mut SyncFile,
    server_time: i64,
    sent_at: i64,
    received_at: i64,
    max_hlc: u64,
) -> Result<(), SyncError> {
    let local = sent_at + (received_at - sent_at) / 2;
    let skew = local - server_time;
    file.clock_skew_ms = Some(skew);
    store.sync_observe(-skew, Some(max_hlc.min(i64::MAX as u64) as i64))?;
    Ok(())
}

/// Ask head office for a new epoch (after a restore, or when it refused ours), then send the whole
/// outbox under it: events are idempotent there, so nothing is applied twice.
fn new_epoch(
    store: &mut Store,
    file: &mut SyncFile,
    transport: &dyn Transport,
) -> Result<(), SyncError> {
    let req = EpochRequest {
        device_id: file.device_id,
        from_epoch: file.epoch,
    };
    let body = serde_json::to_vec(&req).map_err(|e| SyncError::Server {
        status: 0,
        detail: e.to_string(),
    })?;
    let sent_at = store.clock().now().as_millisecond();
    let reply = transport
        .post(
            &join(&file.url, sync_proto::EPOCH_PATH),
            Some(&file.token),
            &body,
        )
        .map_err(|e| SyncError::Unreachable {
            url: file.url.clone(),
            detail: e.0,
        })?;
    match reply.status {
        200 => {}
        401 | 403 => return Err(SyncError::Revoked(error_detail(&reply))),
        status => {
            return Err(SyncError::Server {
                status,
                detail: error_detail(&reply),
            });
        }
    }
    let got: EpochResponse = parse(&reply)?;
    let received_at = store.clock().now().as_millisecond();
    file.epoch = got.epoch;
    let skew = sent_at + (received_at - sent_at) / 2 - got.server_time;
    file.clock_skew_ms = Some(skew);
    store.sync_new_epoch(-skew, got.max_hlc.min(i64::MAX as u64) as i64)?;
    Ok(())
}

/// What `posdesk sync status` and the window show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    pub enrolled: bool,
    pub pending: u64,
    pub last_ok: Option<Timestamp>,
    pub last_error: Option<Msg>,
    pub clock_skew_ms: Option<i64>,
    pub store_code: Option<String>,
    pub url: Option<String>,
}

impl Status {
    pub fn read(store: &Store, data_dir: &Path) -> Result<Status, SyncError> {
        let file = SyncFile::load(data_dir)?;
        Ok(Status {
            enrolled: file.is_some(),
            pending: store.outbox_pending()?,
            last_ok: file.as_ref().and_then(|f| f.last_ok),
            last_error: file.as_ref().and_then(|f| f.last_error.clone()),
            clock_skew_ms: file.as_ref().and_then(|f| f.clock_skew_ms),
            store_code: file.as_ref().map(|f| f.store_code.clone()),
            url: file.as_ref().map(|f| f.url.clone()),
        })
    }

    /// The quiet status line: "Synced 2 min ago · 0 waiting" / "已同步 · 2 分钟前 · 0 条待发送".
    pub fn line(&self, now: Timestamp) -> Msg {
        if !self.enrolled {
            return Msg::new("Not connected to head office", "未连接总部");
        }
        let waiting_en = format!("{} waiting", self.pending);
        let waiting_zh = format!("{} 条待发送", self.pending);
        match self.last_ok {
            None => Msg::new(
                format!("Not synced yet · {waiting_en}"),
                format!("尚未同步 · {waiting_zh}"),
            ),
            Some(at) => {
                let minutes = (now.as_second() - at.as_second()).max(0) / 60;
                let (en, zh) = match minutes {
                    0 => ("just now".to_string(), "刚刚".to_string()),
                    m if m < 120 => (format!("{m} min ago"), format!("{m} 分钟前")),
                    m if m < 2880 => (format!("{} h ago", m / 60), format!("{} 小时前", m / 60)),
                    m => (
                        format!("{} days ago", m / 1440),
                        format!("{} 天前", m / 1440),
                    ),
                };
                Msg::new(
                    format!("Synced {en} · {waiting_en}"),
                    format!("已同步 · {zh} · {waiting_zh}"),
                )
            }
        }
    }
}
