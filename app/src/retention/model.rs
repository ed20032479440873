//! Retention rules as managers define them, and what the daily run finds and does.

use crate::ids::{ContactId, DefinitionId, RetentionRuleId, SourceId};
use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

// Which purpose a rule measures, and from which moment.
plain_enum!(RetentionScope {
    /// A consent's purpose: held while granted; ends the period after a withdrawal or a
    /// refusal.
    Consent = "consent" => RetentionScopeConsent,
    /// Handling cases: held while a case is open; ends the period after the last one
    /// closed.
    Cases = "cases" => RetentionScopeCases,
    /// Contacts from one data source (e.g. a purchased database): ends the period after
    /// the last contact with the person (a call, e-mail or SMS made, a case, the record's
    /// creation).
    Source = "source" => RetentionScopeSource,
    /// Any contact at all: ends the period after the record was created.
    NoPurpose = "no_purpose" => RetentionScopeNoPurpose,
});

// What happens to a contact whose every purpose ended.
plain_enum!(RetentionOutcome {
    /// A request in the managers' queue ("RODO rekordy do zapomnienia"), ground "dane nie
    /// są już niezbędne".
    Queue = "queue" => RetentionOutcomeQueue,
    /// Erased by the run itself.
    Erase = "erase" => RetentionOutcomeErase,
});

/// A retention rule ("Okresy przechowywania").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RetentionRule {
    pub id: RetentionRuleId,
    pub name: String,
    pub scope: RetentionScope,
    /// For `consent`: the consent definition whose purpose this is.
    pub definition_id: Option<DefinitionId>,
    /// For `source`: the data source.
    pub source_id: Option<SourceId>,
    pub months: i64,
    pub days: i64,
    pub outcome: RetentionOutcome,
    pub active: bool,
}

/// One contact whose every purpose ended: the rule that ended the last one, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DueContact {
    pub contact_id: ContactId,
    /// The rules that apply to the contact, each with the moment its purpose ended
    /// (UTC ms), latest first: the first one decided.
    pub ended: Vec<(RetentionRuleId, String, i64)>,
    pub outcome: RetentionOutcome,
    /// A legal hold keeps the data whatever the rules say.
    pub held: bool,
}

/// What a preview found: the first contacts (up to a page) and how many in all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Preview {
    pub contacts: Vec<DueContact>,
    pub total: i64,
    pub examined: i64,
}

// How a run came about and how far it got.
plain_enum!(RunTrigger {
    Schedule = "schedule" => RetentionTriggerSchedule,
    Manual = "manual" => RetentionTriggerManual,
});

plain_enum!(RunState {
    Queued = "queued" => RetentionRunQueued,
    Running = "running" => RetentionRunRunning,
    Done = "done" => RetentionRunDone,
});

/// One run of the retention job, with what it did under each rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Run {
    pub id: i64,
    pub trigger: RunTrigger,
    pub state: RunState,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    pub examined: i64,
    pub queued: i64,
    pub erased: i64,
    pub held: i64,
    /// Per rule: its name, contacts queued, contacts erased.
    pub by_rule: Vec<(String, i64, i64)>,
}

/// The periods a rule may have: up to 50 years. Nothing at all only where an event ends
/// the purpose (a withdrawal, the last case closed): "erase as soon as it ends". A record's
/// creation or a last contact ends nothing by itself.
pub fn check_period(scope: RetentionScope, months: i64, days: i64) -> Result<(), Msg> {
    let event_ends_it = matches!(scope, RetentionScope::Consent | RetentionScope::Cases);
    if !(0..=600).contains(&months)
        || !(0..=3650).contains(&days)
        || (months + days == 0 && !event_ends_it)
    {
        return Err(Msg::ErrRetentionPeriod);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_some_time_and_not_forever() {
        use RetentionScope::*;
        assert!(check_period(Cases, 24, 0).is_ok());
        assert!(check_period(Consent, 0, 30).is_ok());
        assert!(
            check_period(Consent, 0, 0).is_ok(),
            "at once after a withdrawal"
        );
        assert!(check_period(NoPurpose, 0, 0).is_err());
        assert!(check_period(Source, 0, 0).is_err());
        assert!(check_period(Cases, -1, 40).is_err());
        assert!(check_period(Cases, 601, 0).is_err());
    }
}
