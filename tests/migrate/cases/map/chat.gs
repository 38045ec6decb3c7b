package com.example.chat;

using com.gsrpc.Device; // from --map com.gsrpc=vendor/gsrpc.gs

contract Chat {
    void Join(Device device);
}
