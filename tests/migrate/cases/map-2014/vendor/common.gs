table Inner { Value int32; }
