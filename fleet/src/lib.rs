//! The fleet tool's library: [`staff`], the web page where a store's associates see and answer
//! size requests. The `fleet` binary adds the command-line tools around it.

pub mod staff;
