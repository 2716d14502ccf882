//! What a wallet or an explorer reads of an account (`getAccountInfo` with `jsonParsed`: a
//! mint's Token-2022 extensions, a token account's state), and token amounts over RPC.
use credit_client::read;
use serde_json::{json, Value};
use solana_rpc_client::api::request::RpcRequest;
use solana_rpc_client::rpc_client::RpcClient;
use solana_sdk::pubkey::Pubkey;

/// The account as `jsonParsed` shows it (`{ "type", "info" }` for token programs' accounts).
pub fn json_parsed(rpc: &RpcClient, key: &Pubkey) -> Value {
    rpc.send::<Value>(
        RpcRequest::GetAccountInfo,
        json!([key.to_string(), { "encoding": "jsonParsed", "commitment": "confirmed" }]),
    )
    .expect("getAccountInfo")["value"]["data"]["parsed"]
        .clone()
}

/// The state of the mint extension `name` in a `jsonParsed` mint; panics if it has none.
pub fn extension<'a>(parsed: &'a Value, name: &str) -> &'a Value {
    parsed["info"]["extensions"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["extension"] == name))
        .map(|e| &e["state"])
        .unwrap_or_else(|| panic!("no {name} extension in {parsed:#}"))
}

/// A JSON string as a public key.
pub fn key(v: &Value) -> Pubkey {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}")).parse().expect("a pubkey")
}

/// A token account's amount; panics if the account does not exist.
pub fn amount(rpc: &RpcClient, account: &Pubkey) -> u64 {
    read::token_amount(rpc, account).unwrap().unwrap_or_else(|| panic!("no token account {account}"))
}
