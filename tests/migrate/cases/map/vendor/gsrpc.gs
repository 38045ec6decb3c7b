// The migrated file of package com.gsrpc, from another repository.
table Device {
    ID string;
}
