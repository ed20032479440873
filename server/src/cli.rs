//! The command line: `zgoda --help` lists what it can do.

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "zgoda",
    version,
    about = "Zgoda: the RODO (GDPR) personal-data module for contact centers"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Add demonstration accounts and contacts for trying the app.
    SeedDemo,
    /// Check the audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Manage the keyring that protects personal data.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Manage integrators' API tokens (also in "Integracje").
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Background jobs of every node (also in "Zadania w tle"): list them (running,
    /// failed and waiting first), or queue a failed one again.
    Jobs {
        #[command(subcommand)]
        command: Option<JobsCommand>,
    },
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// List the newest jobs (the default).
    List {
        /// Only jobs in this state.
        #[arg(long, value_enum)]
        status: Option<JobStatusArg>,
        /// How many to list.
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Queue a failed job again at once, with fresh attempts.
    Retry {
        /// The job's number, as `zgoda jobs` lists it.
        id: i64,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum JobStatusArg {
    Waiting,
    Running,
    Done,
    Failed,
}

impl From<JobStatusArg> for app::jobs::JobStatus {
    fn from(s: JobStatusArg) -> Self {
        match s {
            JobStatusArg::Waiting => Self::Waiting,
            JobStatusArg::Running => Self::Running,
            JobStatusArg::Done => Self::Done,
            JobStatusArg::Failed => Self::Failed,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token and print it (only the token, on one line; it is not kept).
    Add {
        /// The integration's name, shown in the audit trail and the list.
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Only these functions, separated by spaces (all the role may call if omitted).
        #[arg(long)]
        endpoints: Option<String>,
        /// Allowed addresses or networks, separated by spaces (any if omitted).
        #[arg(long)]
        addresses: Option<String>,
        /// Valid for this many days (no expiry if omitted).
        #[arg(long)]
        days: Option<u32>,
        /// Requests per second (50 if omitted).
        #[arg(long)]
        rate: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Add a new master key and re-wrap every contact's data key under it while Zgoda
    /// keeps serving; old master keys are then removed from the keyring file.
    Rotate,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user. A password piped to stdin is used; otherwise one is generated,
    /// printed once, and must be changed at the first sign-in.
    Add {
        #[arg(long)]
        login: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Full name shown in the app (the login when omitted).
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Report every edited, inserted or deleted row of the audit trail.
    Verify,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Consultant,
    Manager,
    Administrator,
}

impl From<RoleArg> for app::auth::Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Consultant => app::auth::Role::Consultant,
            RoleArg::Manager => app::auth::Role::Manager,
            RoleArg::Administrator => app::auth::Role::Administrator,
        }
    }
}
