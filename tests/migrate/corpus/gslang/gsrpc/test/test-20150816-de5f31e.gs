package com.gsrpc.test;
