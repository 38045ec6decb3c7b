package com.example.service;

using com.example.Mail; // becomes an import of ../shared.gs
using com.example.Owner;
using com.example.common.Id;
using com.example.more.Id;

// Module annotations of a table declared in another file.
@Owner(Name:"mail team")

contract MailHub {
    com.example.common.Id Put(Mail mail);
    Mail Fetch(com.example.more.Id id);
}
