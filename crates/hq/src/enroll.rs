//! Enrollment: `posdesk-hq enroll STORE` makes a one-time code; the till trades it for a device token.

use sha2::{Digest, Sha256};
use sync_proto::{ENROLL_CODE_TTL_HOURS, EnrollRequest, EnrollResponse, FIRST_EPOCH};
use tokio_postgres::Client;
use uuid::Uuid;

use crate::HqError;

/// Letters of an enrollment code: Crockford's base 32 (no I, L, O, U), so it can be read aloud and typed.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Why an enrollment was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    UnknownCode,
    CodeUsed,
    CodeExpired,
}

pub fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

/// 32 random bytes from the operating system's generator (through uuid's v4).
fn random_bytes() -> [u8; 32] {
    let mut out = [0u8; 32];
    out[..16].copy_from_slice(Uuid::new_v4().as_bytes());
    out[16..].copy_from_slice(Uuid::new_v4().as_bytes());
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new enrollment code, `XXXX-XXXX-XXXX` (60 random bits).
fn new_code() -> String {
    let r = random_bytes();
    let mut s = String::with_capacity(14);
    for (i, b) in r.iter().take(12).enumerate() {
        if i > 0 && i % 4 == 0 {
            s.push('-');
        }
        s.push(ALPHABET[usize::from(b & 31)] as char);
    }
    s
}

/// The code as stored: upper case, without dashes or spaces, with the look-alikes Crockford maps.
pub fn normalize_code(code: &str) -> String {
    code.chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\t'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

/// A store code: 1 to 64 ASCII letters, digits, `-`, `_` or `.`.
pub fn valid_store_code(code: &str) -> bool {
    (1..=64).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Creates the store if it is new (named `name`, else its code) and returns a fresh one-time code.
pub async fn create_code(
    client: &mut Client,
    store_code: &str,
    name: Option<&str>,
) -> Result<String, HqError> {
    if !valid_store_code(store_code) {
        return Err(HqError::BadStoreCode(store_code.to_string()));
    }
    let tx = client.transaction().await?;
    tx.execute(
        "INSERT INTO posdesk.store (id, code, name) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING",
        &[&Uuid::now_v7(), &store_code, &name.unwrap_or(store_code)],
    )
    .await?;
    if let Some(name) = name {
        tx.execute(
            "UPDATE posdesk.store SET name = $2 WHERE code = $1",
            &[&store_code, &name],
        )
        .await?;
    }
    let code = new_code();
    tx.execute(
        "INSERT INTO posdesk.enroll_code (code_sha256, store_id, expires_at)
         SELECT $1, id, now() + make_interval(hours => $3) FROM posdesk.store WHERE code = $2",
        &[
            &sha256(normalize_code(&code).as_bytes()),
            &store_code,
            &(ENROLL_CODE_TTL_HOURS as i32),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(code)
}

/// Trades a one-time code for a new device of the code's store.
pub async fn redeem(
    client: &mut Client,
    req: &EnrollRequest,
    server_ms: i64,
) -> Result<Result<EnrollResponse, Refusal>, HqError> {
    let code_hash = sha256(normalize_code(&req.code).as_bytes());
    let tx = client.transaction().await?;
    let Some(row) = tx
        .query_opt(
            "SELECT c.store_id, s.code, c.used_at IS NOT NULL, c.expires_at <= now()
             FROM posdesk.enroll_code c JOIN posdesk.store s ON s.id = c.store_id
             WHERE c.code_sha256 = $1 FOR UPDATE OF c",
            &[&code_hash],
        )
        .await?
    else {
        return Ok(Err(Refusal::UnknownCode));
    };
    let store_id: Uuid = row.get(0);
    let store_code: String = row.get(1);
    if row.get::<_, bool>(2) {
        return Ok(Err(Refusal::CodeUsed));
    }
    if row.get::<_, bool>(3) {
        return Ok(Err(Refusal::CodeExpired));
    }
    let device_id = Uuid::now_v7();
    let token = hex(&random_bytes());
    let name: String = req
        .device_name
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let app_version: String = req
        .app_version
        .chars()
        .filter(|c| !c.is_control())
        .take(64)
        .collect();
    tx.execute(
        "INSERT INTO posdesk.device (id, store_id, name, token_sha256, epoch, app_version)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &device_id,
            &store_id,
            &name,
            &sha256(token.as_bytes()),
            &(FIRST_EPOCH as i32),
            &app_version,
        ],
    )
    .await?;
    tx.execute(
        "UPDATE posdesk.enroll_code SET used_at = now(), device_id = $2 WHERE code_sha256 = $1",
        &[&code_hash, &device_id],
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(EnrollResponse {
        device_id,
        store_id,
        store_code,
        token,
        epoch: FIRST_EPOCH,
        server_time: server_ms,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_aloud_and_typed_loosely_still_match() {
        let c = new_code();
        assert_eq!(c.len(), 14);
        assert_eq!(c.matches('-').count(), 2);
        assert_eq!(normalize_code(&c.to_lowercase()), normalize_code(&c));
        assert_eq!(normalize_code("o1il-ab"), "0111AB");
        assert_ne!(new_code(), new_code());
    }

    #[test]
    fn store_codes() {
        assert!(valid_store_code("STORE-A"));
        assert!(valid_store_code("SH001.2_b"));
        assert!(!valid_store_code(""));
        assert!(!valid_store_code("上海一店"));
        assert!(!valid_store_code("A B"));
        assert!(!valid_store_code(&"x".repeat(65)));
    }
}
