use serde::{Deserialize, Serialize};

use crate::cases::CaseRow;
use crate::contacts::ContactRow;
use crate::erasure::model::AnsweredRequest;

/// A contact card, or a case card (then `case` is set), the user opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentItem {
    pub contact: ContactRow,
    pub case: Option<CaseRow>,
    pub read_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCase {
    pub contact: ContactRow,
    pub case: CaseRow,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRequest {
    pub contact: ContactRow,
    pub request: AnsweredRequest,
}

/// The desk's panels. Contacts carry only what the desk shows (name and phone); an
/// erased contact has neither.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desk {
    pub recent: Vec<RecentItem>,
    pub cases: Vec<MyCase>,
    pub requests: Vec<MyRequest>,
}
