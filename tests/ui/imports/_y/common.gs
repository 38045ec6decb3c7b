struct Y { ID byte; }
