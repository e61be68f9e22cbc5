//! `plancheck mcp`: the MCP server of [`server`] on standard input and output, until
//! the client closes them.

mod server;

use rmcp::ServiceExt;

use crate::error::Error;
use server::Server;

pub fn run() -> Result<(), Error> {
    // One client talks to the server at a time, and every tool runs to its end before the
    // next message is read: one thread serves it.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let service = Server::default()
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|error| Error::Mcp(error.to_string()))?;
        service
            .waiting()
            .await
            .map_err(|error| Error::Mcp(error.to_string()))?;
        Ok(())
    })
}
