//! contract → its RPC stubs (`gscluster::rpc`): the service trait servers
//! implement, the dispatcher that serves an implementation, the typed
//! client. Their logic is in the runtime; the stubs only name the methods,
//! their ids and their types.
//!
//! A method's params are the trait method's params after the context, by
//! value; its returns are `()`, the one value, or a tuple of several
//! (named returns too: their names are documentation). Every method returns
//! `impl Reply<_>`, a `Send` future of `Result<_, RpcError>`, so that an
//! `async fn` implements it.

use gslang_sema::ir::{ContractId, ItemId, Method, MethodRef};

use super::{Cx, Printer, Site, str_lit};
use crate::printer::{Arm, ReturnArg, Returns};

const REPLY: &str = "impl ::gscluster::rpc::Reply";

/// How a method answers, which picks the runtime's entry points.
enum Answer {
    /// `@Async`: nothing.
    Oneway,
    /// One return value.
    Value,
    /// None, or several: a `Params` list.
    List,
}

fn answer(method: &Method) -> Answer {
    match (method.is_async, method.returns.len()) {
        (true, _) => Answer::Oneway,
        (false, 1) => Answer::Value,
        _ => Answer::List,
    }
}

pub(crate) fn emit(cx: &mut Cx<'_, '_>, p: &mut Printer, id: ContractId) {
    let model = cx.model;
    let contract = model.contract(id);
    let names = cx.names.contract(id);
    let full_name = model.full_name(ItemId::Contract(id));
    let methods = model.methods(id);

    // The service trait.
    p.line(format_args!(
        "/// The service of contract `{full_name}`: what a server implements, to host it with [`{}`].",
        names.server
    ));
    if !contract.docs.is_empty() {
        p.line("///");
        p.docs(&contract.docs);
    }
    cx.attribute_lines(p, Site::Item(ItemId::Contract(id)), &[]);
    if methods.is_empty() {
        p.line(format_args!(
            "pub trait {}: ::core::marker::Send + ::core::marker::Sync + 'static {{}}",
            names.service
        ));
    } else {
        p.open(format_args!(
            "pub trait {}: ::core::marker::Send + ::core::marker::Sync + 'static {{",
            names.service
        ));
        for &m in &methods {
            let method = model.method(m);
            let method_names = cx.names.method(m.contract, m.index);
            method_docs(cx, p, id, m);
            let mut params = vec![
                "self: ::std::sync::Arc<Self>".to_owned(),
                "cx: ::gscluster::rpc::CallContext".to_owned(),
            ];
            params.extend(
                method
                    .params
                    .iter()
                    .zip(&method_names.params)
                    .map(|(param, name)| format!("{name}: {}", cx.rust_type(&param.ty))),
            );
            let ret = returns(cx, method, "");
            p.signature(&format!("fn {}", method_names.function), &params, &ret, ";");
        }
        p.close("}");
    }

    // The dispatcher.
    p.line(format_args!(
        "/// Serves an implementation of [`{}`] on a node: `node.serve(\"instance\", {}::new(service))`.",
        names.service, names.server
    ));
    p.line("#[derive(Debug)]");
    p.line(format_args!(
        "pub struct {}<T>(::std::sync::Arc<T>);",
        names.server
    ));
    p.open(format_args!(
        "impl<T: {}> {}<T> {{",
        names.service, names.server
    ));
    p.line("/// Serves `service`.");
    p.open("pub fn new(service: T) -> Self {");
    p.line("Self(::std::sync::Arc::new(service))");
    p.close("}");
    p.line("/// Serves a shared `service`.");
    p.open("pub fn from_arc(service: ::std::sync::Arc<T>) -> Self {");
    p.line("Self(service)");
    p.close("}");
    p.close("}");
    p.open(format_args!(
        "impl<T: {}> ::gscluster::rpc::Service for {}<T> {{",
        names.service, names.server
    ));
    p.open("fn contract(&self) -> &'static str {");
    p.line(str_lit(&full_name));
    p.close("}");
    if methods.is_empty() {
        p.open("fn call(&self, call: ::gscluster::rpc::Call) {");
        p.line("call.unknown_method();");
        p.close("}");
    } else {
        p.open("fn call(&self, call: ::gscluster::rpc::Call) {");
        p.line("let this = ::std::sync::Arc::clone(&self.0);");
        p.open("match call.method() {");
        for &m in &methods {
            let method = model.method(m);
            let function = &cx.names.method(m.contract, m.index).function;
            let serve = match answer(method) {
                Answer::Oneway => "serve_oneway",
                Answer::Value => "serve_value",
                Answer::List => "serve",
            };
            let head = format!("call.{serve}");
            let handler = cx.wrap_server(id, m, format!("T::{function}"));
            let args = ["this".to_owned(), handler];
            p.arm(m.id, Arm::Call(&head, &args));
        }
        p.line("_ => call.unknown_method(),");
        p.close("}");
        p.close("}");
    }
    p.close("}");

    // The client.
    p.line(format_args!(
        "/// A client of contract `{full_name}`: calls a peer's service. Get one from a peer: `peer.client::<{}>()`.",
        names.client
    ));
    p.line("#[derive(Clone, Debug)]");
    p.line(format_args!(
        "pub struct {}(::gscluster::rpc::Client);",
        names.client
    ));
    p.open(format_args!(
        "impl ::gscluster::rpc::TypedClient for {} {{",
        names.client
    ));
    p.line(format_args!(
        "const CONTRACT: &'static str = {};",
        str_lit(&full_name)
    ));
    p.open("fn from_client(client: ::gscluster::rpc::Client) -> Self {");
    p.line("Self(client)");
    p.close("}");
    p.open("fn client(&self) -> &::gscluster::rpc::Client {");
    p.line("&self.0");
    p.close("}");
    p.close("}");
    p.open(format_args!("impl {} {{", names.client));
    p.line("/// The same client, with another deadline for its calls.");
    p.open("pub fn with_timeout(&self, timeout: ::core::time::Duration) -> Self {");
    p.line("Self(self.0.with_timeout(timeout))");
    p.close("}");
    for &m in &methods {
        let method = model.method(m);
        let method_names = cx.names.method(m.contract, m.index);
        method_docs(cx, p, id, m);
        let mut params = vec!["&self".to_owned()];
        params.extend(
            method
                .params
                .iter()
                .zip(&method_names.params)
                .map(|(param, name)| format!("{name}: {}", cx.rust_type(&param.ty))),
        );
        let ret = returns(cx, method, " + '_");
        p.signature(
            &format!("pub fn {}", method_names.function),
            &params,
            &ret,
            " {",
        );
        let args = if method.params.is_empty() {
            "()".to_owned()
        } else {
            p.list("let params = (", &method_names.params, ");");
            "params".to_owned()
        };
        let call = match answer(method) {
            Answer::Oneway => "notify",
            Answer::Value => "call_value",
            Answer::List => "call",
        };
        let call = format!(
            "::gscluster::rpc::Client::{call}(&self.0, {}, {args})",
            m.id
        );
        match cx.wrap_client(id, m) {
            Some(wrapped) => {
                p.line(format_args!("let call = {call};"));
                p.line(wrapped);
            }
            None => p.line(call),
        }
        p.close("}");
    }
    p.close("}");
}

/// The docs of a method, and what plugins add to it.
fn method_docs(cx: &mut Cx<'_, '_>, p: &mut Printer, contract: ContractId, m: MethodRef) {
    let method = cx.model.method(m);
    p.docs(&method.docs);
    cx.attribute_lines(p, Site::Method(contract, m), &[]);
}

/// What a method's trait and client functions return: `impl Reply<T>`.
fn returns<'a>(cx: &Cx<'_, '_>, method: &Method, suffix: &'a str) -> Returns<'a> {
    let types: Vec<String> = method.returns.iter().map(|r| cx.rust_type(&r.ty)).collect();
    let arg = match types.len() {
        0 => ReturnArg::Plain("()".to_owned()),
        1 => ReturnArg::Plain(types.into_iter().next().unwrap_or_default()),
        _ => ReturnArg::Tuple(types),
    };
    Returns {
        outer: REPLY,
        arg,
        suffix,
    }
}
