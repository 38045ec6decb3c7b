table Range { Min int32; Max int32; }

@Range(1, Max: 10)
struct Message {
    ID byte;
}
