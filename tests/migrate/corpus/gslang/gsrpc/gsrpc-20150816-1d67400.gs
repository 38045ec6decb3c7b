package com.gsrpc;
