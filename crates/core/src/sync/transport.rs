//! How a sync run reaches head office: a blocking HTTP client (ureq, gzip both ways) behind a small
//! trait, so tests can cut the connection or drop a reply after head office committed.

use std::io::Write as _;
use std::time::Duration;

/// An HTTP answer: status and body (already un-gzipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

/// The request never got an answer (no route, refused, reset, timed out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError(pub String);

/// POST a JSON body, with a bearer token when given.
pub trait Transport: Send + Sync {
    fn post(&self, url: &str, token: Option<&str>, json: &[u8]) -> Result<Reply, TransportError>;
}

/// The real client: ureq, rustls, request bodies gzip-compressed, replies gzip-decoded.
pub struct HttpTransport {
    agent: ureq::Agent,
}

impl HttpTransport {
    pub fn new() -> HttpTransport {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        HttpTransport { agent }
    }
}

impl Default for HttpTransport {
    fn default() -> Self {
        HttpTransport::new()
    }
}

fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes)?;
    enc.finish()
}

impl Transport for HttpTransport {
    fn post(&self, url: &str, token: Option<&str>, json: &[u8]) -> Result<Reply, TransportError> {
        let body = gzip(json).map_err(|e| TransportError(e.to_string()))?;
        let mut req = self
            .agent
            .post(url)
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip");
        if let Some(token) = token {
            req = req.header("Authorization", sync_proto::bearer(token));
        }
        let mut resp = req
            .send(&body[..])
            .map_err(|e| TransportError(e.to_string()))?;
        let status = resp.status().as_u16();
        let body = resp
            .body_mut()
            .with_config()
            .limit(sync_proto::MAX_BODY_BYTES as u64)
            .read_to_vec()
            .map_err(|e| TransportError(e.to_string()))?;
        Ok(Reply { status, body })
    }
}
