struct Envelope {
    Body []byte;
}
