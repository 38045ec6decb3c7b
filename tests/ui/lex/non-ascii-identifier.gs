struct Café {
    Größe int32;
    naïve bool;
}
