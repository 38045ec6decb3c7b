//! contract → its pusher, when the compilation includes a gate's module
//! (a module `gate` with a contract `Gate` whose methods include
//! `Push(user uint64, route string, data []byte, ack bool)` and
//! `Broadcast(group string, route string, data []byte)`, as gsgate's
//! `gate.gs` declares them): a struct through which a server calls the
//! contract on the clients of a gate. Each method encodes its arguments one
//! after the other (the client protocol's data) and calls `Gate.Push` for a
//! user or `Gate.Broadcast` for a group, with the route
//! `module.Contract.Method`.
//!
//! Pushers are written for the contracts clients implement: those outside
//! the gate's module that are not exposed to clients (`@gate.Expose`).

use gslang_sema::ir::{ContractId, ItemId, Model, ModuleId, RecordId, Type};

use super::{Cx, Printer, str_lit};
use crate::printer::{ReturnArg, Returns};

/// The gate's module, as the pusher needs it.
pub(crate) struct GateModule {
    module: ModuleId,
    gate: ContractId,
    push: usize,
    broadcast: usize,
    expose: Option<RecordId>,
}

/// The gate's module of the compilation, if it has one of the right shape.
pub(crate) fn gate_module(model: &Model) -> Option<GateModule> {
    let (module, _) = model
        .modules()
        .iter()
        .find(|(_, m)| m.name == "gate" && !m.is_builtin)?;
    let (gate, contract) = model
        .contracts()
        .iter()
        .find(|(_, c)| c.module == module && c.name == "Gate")?;
    let find = |name: &str, params: &[Type]| {
        contract
            .methods
            .iter()
            .position(|m| m.name == name && m.params.iter().map(|p| &p.ty).eq(params.iter()))
    };
    use gslang_syntax::Scalar;
    let (u64_, string, bytes, bool_) = (
        Type::Scalar(Scalar::UInt64),
        Type::Scalar(Scalar::String),
        Type::List(Box::new(Type::Scalar(Scalar::Byte))),
        Type::Scalar(Scalar::Bool),
    );
    let push = find("Push", &[u64_, string.clone(), bytes.clone(), bool_])?;
    let broadcast = find("Broadcast", &[string.clone(), string, bytes])?;
    let returns_u32 = |i: usize| {
        matches!(
            contract.methods[i].returns.as_slice(),
            [r] if r.ty == Type::Scalar(Scalar::UInt32)
        )
    };
    if !returns_u32(push) || !returns_u32(broadcast) {
        return None;
    }
    let expose = model
        .records()
        .iter()
        .find(|(_, r)| r.module == module && r.name == "Expose")
        .map(|(id, _)| id);
    Some(GateModule {
        module,
        gate,
        push,
        broadcast,
        expose,
    })
}

pub(crate) fn emit(cx: &mut Cx<'_, '_>, p: &mut Printer, id: ContractId, gate: &GateModule) {
    let model = cx.model;
    let contract = model.contract(id);
    if contract.module == gate.module
        || gate
            .expose
            .is_some_and(|e| model.has(&contract.annotations, e))
    {
        return;
    }
    let names = cx.names.contract(id);
    let full_name = model.full_name(ItemId::Contract(id));
    let gate_client = format!(
        "super::{}::{}",
        cx.names.module(gate.module),
        cx.names.contract(gate.gate).client
    );
    let push = &cx.names.method(gate.gate, gate.push).function;
    let broadcast = &cx.names.method(gate.gate, gate.broadcast).function;
    p.line(format_args!(
        "/// Calls contract `{full_name}` on the clients of a gate: a push to a user (`Gate.Push`) or to a group (`Gate.Broadcast`, encoded once), with the method's route. Each method resolves to the number of sessions reached."
    ));
    p.line("#[derive(Clone, Debug)]");
    p.open(format_args!("pub struct {} {{", names.pusher));
    p.line("/// The gate's contract (from a handler: `cx.client()`).");
    p.line(format_args!("pub gate: {gate_client},"));
    p.line("/// Who gets the pushes.");
    p.line("pub target: ::gscluster::rpc::PushTarget,");
    p.close("}");
    let methods = model.methods(id);
    if methods.is_empty() {
        return;
    }
    p.open(format_args!("impl {} {{", names.pusher));
    for &m in &methods {
        let method = model.method(m);
        let method_names = cx.names.method(m.contract, m.index);
        p.docs(&method.docs);
        let mut params = vec!["&self".to_owned()];
        params.extend(
            method
                .params
                .iter()
                .zip(&method_names.params)
                .map(|(param, name)| format!("{name}: {}", cx.rust_type(&param.ty))),
        );
        p.signature(
            &format!("pub fn {}", method_names.function),
            &params,
            &Returns {
                outer: "impl ::gscluster::rpc::Reply",
                arg: ReturnArg::Plain("u32".to_owned()),
                suffix: " + '_",
            },
            " {",
        );
        match method_names.params.as_slice() {
            [] => p.line("let data = ::gscluster::to_bytes(&());"),
            [one] => p.line(format_args!("let data = ::gscluster::to_bytes(&{one});")),
            several => {
                p.list("let params = (", several, ");");
                p.line("let data = ::gscluster::to_bytes(&params);");
            }
        }
        p.line(format_args!(
            "let route = ::std::string::String::from({});",
            str_lit(&format!("{full_name}.{}", method.name))
        ));
        p.open("async move {");
        p.open("match &self.target {");
        p.open("::gscluster::rpc::PushTarget::User(user) => {");
        p.line(format_args!(
            "self.gate.{push}(*user, route, data, false).await"
        ));
        p.close("}");
        p.open("::gscluster::rpc::PushTarget::Group(group) => {");
        p.line("let group = ::std::clone::Clone::clone(group);");
        p.line(format_args!(
            "self.gate.{broadcast}(group, route, data).await"
        ));
        p.close("}");
        p.close("}");
        p.close("}");
        p.close("}");
    }
    p.close("}");
}
