use clap::Parser;

use zgoda_server::cli::Cli;
use zgoda_server::commands;

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    match commands::run(cli).await {
        Ok(code) => std::process::exit(code),
        Err(err) => {
            // One clear line, no panic, no backtrace.
            eprintln!("zgoda: {err}");
            std::process::exit(1);
        }
    }
}
