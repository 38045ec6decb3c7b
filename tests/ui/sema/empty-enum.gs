enum Nothing {}
enum Fine { One }
