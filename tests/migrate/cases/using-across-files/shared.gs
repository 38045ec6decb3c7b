package com.example;

// A message.
table Mail {
    string Text;
}

@gslang.annotations.Usage(gslang.annotations.Target.Module)
table Owner { string Name; }
