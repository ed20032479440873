//! What the job page and `zgoda jobs` show: the kinds of background work, their states,
//! and one row per job.

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;
use crate::ids::JobId;

/// The kinds of background work. Each has its own handler (`jobs::handlers`), retry
/// policy and, for the kinds that recur, period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    Import,
    Export,
    Webhook,
    Retention,
    KeyRotation,
    Purge,
    SearchBackfill,
}

impl JobKind {
    pub const ALL: [JobKind; 7] = [
        JobKind::Import,
        JobKind::Export,
        JobKind::Webhook,
        JobKind::Retention,
        JobKind::KeyRotation,
        JobKind::Purge,
        JobKind::SearchBackfill,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Import => "import",
            JobKind::Export => "export",
            JobKind::Webhook => "webhook",
            JobKind::Retention => "retention",
            JobKind::KeyRotation => "key_rotation",
            JobKind::Purge => "purge",
            JobKind::SearchBackfill => "search_backfill",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            JobKind::Import => Msg::JobKindImport,
            JobKind::Export => Msg::JobKindExport,
            JobKind::Webhook => Msg::JobKindWebhook,
            JobKind::Retention => Msg::JobKindRetention,
            JobKind::KeyRotation => Msg::JobKindKeyRotation,
            JobKind::Purge => Msg::JobKindPurge,
            JobKind::SearchBackfill => Msg::JobKindSearchBackfill,
        }
    }

    /// Attempts before a job that keeps failing is given up (kinds that recur are
    /// scheduled for their next period instead).
    pub fn max_attempts(self) -> i64 {
        match self {
            JobKind::Import => 10,
            JobKind::Export => 3,
            JobKind::Webhook => 20,
            JobKind::Retention | JobKind::KeyRotation | JobKind::Purge => 5,
            JobKind::SearchBackfill => 10,
        }
    }

    /// How often a recurring kind runs; `None` for work queued once.
    pub fn period_ms(self) -> Option<i64> {
        const MINUTE: i64 = 60_000;
        match self {
            // Often enough that a day's run starts soon after it is due; a manager's
            // "Uruchom teraz" does not wait for it.
            JobKind::Retention => Some(10 * MINUTE),
            JobKind::KeyRotation | JobKind::Purge => Some(60 * MINUTE),
            JobKind::Import | JobKind::Export | JobKind::Webhook | JobKind::SearchBackfill => None,
        }
    }

    /// Short work a node keeps one worker for, so long imports and exports never hold
    /// up a withdrawal's webhook or the retention run.
    pub fn is_short(self) -> bool {
        !matches!(self, JobKind::Import | JobKind::Export)
    }

    /// How long one attempt may take before it is stopped and counted as failed: a
    /// handler stuck on something would otherwise keep its lease for ever.
    pub fn time_limit_ms(self) -> i64 {
        const HOUR: i64 = 3_600_000;
        match self {
            JobKind::Webhook => 120_000,
            JobKind::Purge | JobKind::KeyRotation => 6 * HOUR,
            JobKind::Retention | JobKind::Export => 6 * HOUR,
            JobKind::Import | JobKind::SearchBackfill => 24 * HOUR,
        }
    }

    /// Whether "Ponów" can bring a failed job back. A failed import or export is failed
    /// in its own report too: it is started again from its page, as a new one.
    pub fn retryable(self) -> bool {
        !matches!(self, JobKind::Import | JobKind::Export)
    }

    /// Where the job page links for a job of this kind about `subject`.
    pub fn href(self, subject: Option<i64>) -> Option<String> {
        match (self, subject) {
            (JobKind::Import, Some(id)) => Some(format!("/menedzer/import/{id}")),
            (JobKind::Export, Some(id)) => Some(format!("/menedzer/eksporty/{id}")),
            (JobKind::Retention, _) => Some("/menedzer/okresy-przechowywania".into()),
            _ => None,
        }
    }
}

/// The delay before attempt `attempts + 1` of a failed job: 5 s, 10 s, 20 s, … at most
/// ten minutes.
pub fn backoff_ms(attempts: i64) -> i64 {
    let doublings = (attempts - 1).clamp(0, 16) as u32;
    (5_000i64 << doublings).min(600_000)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    #[default]
    Waiting,
    Running,
    Done,
    Failed,
}

impl JobStatus {
    pub const ALL: [JobStatus; 4] = [
        JobStatus::Waiting,
        JobStatus::Running,
        JobStatus::Done,
        JobStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Waiting => "waiting",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            JobStatus::Waiting => Msg::JobStatusWaiting,
            JobStatus::Running => Msg::JobStatusRunning,
            JobStatus::Done => Msg::JobStatusDone,
            JobStatus::Failed => Msg::JobStatusFailed,
        }
    }
}

/// One job as the page and the command show it. The error is a message key: a job's
/// failure never carries personal data (the server log has the detail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRow {
    pub id: JobId,
    pub kind: JobKind,
    pub subject: Option<i64>,
    pub status: JobStatus,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: i64,
    /// The node working on it (while running).
    pub node: Option<String>,
    pub lease_until: Option<i64>,
    pub error: Option<Msg>,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
}

impl JobRow {
    /// The moment that says most about the job in its state: when it is due (waiting),
    /// when this attempt started (running), when it ended (done, failed).
    pub fn when(&self) -> i64 {
        match self.status {
            JobStatus::Waiting => self.run_at,
            JobStatus::Running => self.started_at.unwrap_or(self.run_at),
            JobStatus::Done | JobStatus::Failed => self.finished_at.unwrap_or(self.run_at),
        }
    }
}

/// How many jobs are in each state, for the page's header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobCounts {
    pub waiting: i64,
    pub running: i64,
    pub failed: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobsView {
    pub counts: JobCounts,
    pub jobs: Vec<JobRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_states_round_trip_through_their_names() {
        for kind in JobKind::ALL {
            assert_eq!(JobKind::parse(kind.as_str()), Some(kind));
        }
        for status in JobStatus::ALL {
            assert_eq!(JobStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(JobKind::parse("nope"), None);
    }

    #[test]
    fn failed_attempts_wait_longer_each_time_up_to_ten_minutes() {
        let delays: Vec<i64> = (1..=5).map(backoff_ms).collect();
        assert_eq!(delays, [5_000, 10_000, 20_000, 40_000, 80_000]);
        assert_eq!(backoff_ms(40), 600_000);
        assert_eq!(backoff_ms(0), 5_000);
    }
}
