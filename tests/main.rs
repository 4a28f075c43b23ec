//! One integration-test binary (links once on a 2-core machine): each module
//! runs the real `redline` binary or library against real temporary git stores.

mod blame;
mod browser_editor;
mod cli;
mod crash;
mod hardening;
mod inputs;
mod report;
mod serve;
mod site;
mod store;
mod summary;
mod support;
