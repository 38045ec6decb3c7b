//! The ceiling: a minimal hand-written multiplexer, "tagless" (no message
//! kinds), with no deadlines and no error handling. A frame is a u32 length
//! (of what follows), a u16 call id and the gscluster encoding of a
//! `GameMessage`. The client keeps a map of oneshot waiters by id; callers
//! append frames to a shared buffer that a writer task writes, a reader
//! task completes the waiters. The server answers every frame of a read
//! inline (no task per call) and writes the answers in one write.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::{Buf as _, BufMut as _, Bytes, BytesMut};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, oneshot};
use tokio::task::JoinHandle;

use crate::harness::Caller;
use crate::proto::game_echo::GameMessage;

const READ_CHUNK: usize = 64 * 1024;

fn put_frame(out: &mut BytesMut, id: u16, msg: &GameMessage) {
    let len = gscluster::Wire::encoded_len(msg);
    out.reserve(6 + len);
    out.put_u32_le((2 + len) as u32);
    out.put_u16_le(id);
    gscluster::encode_into(msg, out);
}

/// The next whole frame in `buf`: its id and payload.
fn next_frame(buf: &mut BytesMut) -> Option<(u16, BytesMut)> {
    if buf.len() < 4 {
        return None;
    }
    let len = u32::from_le_bytes([buf[0], buf[1], buf[2], buf[3]]) as usize;
    if buf.len() < 4 + len {
        return None;
    }
    buf.advance(4);
    let mut frame = buf.split_to(len);
    let id = frame.get_u16_le();
    Some((id, frame))
}

/// The server: a task per connection.
#[derive(Debug)]
pub struct MuxServer {
    accept: JoinHandle<()>,
}

impl MuxServer {
    /// Listens on 127.0.0.1, any port.
    pub async fn start() -> (MuxServer, SocketAddr) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream));
            }
        });
        (MuxServer { accept }, addr)
    }

    /// Stops accepting (connections end with their clients).
    pub fn stop(self) {
        self.accept.abort();
    }
}

async fn serve(mut stream: TcpStream) {
    stream.set_nodelay(true).expect("nodelay");
    let mut buf = BytesMut::with_capacity(READ_CHUNK);
    let mut out = BytesMut::new();
    loop {
        if buf.capacity() - buf.len() < 1024 {
            buf.reserve(READ_CHUNK);
        }
        match stream.read_buf(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        while let Some((id, payload)) = next_frame(&mut buf) {
            let msg: GameMessage = gscluster::from_bytes(&payload).expect("a GameMessage");
            put_frame(&mut out, id, &msg);
        }
        if !out.is_empty() {
            if stream.write_all(&out).await.is_err() {
                return;
            }
            out.clear();
        }
    }
}

struct State {
    next_id: u16,
    waiters: HashMap<u16, oneshot::Sender<Bytes>>,
    out: BytesMut,
}

struct Shared {
    state: Mutex<State>,
    /// Wakes the writer: the buffer became non-empty.
    wake: Notify,
}

/// A client: one connection, calls multiplexed over it. Cheap to clone.
#[derive(Clone)]
pub struct MuxClient {
    shared: Arc<Shared>,
    tasks: Arc<[JoinHandle<()>; 2]>,
}

impl std::fmt::Debug for MuxClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MuxClient").finish_non_exhaustive()
    }
}

impl MuxClient {
    /// Connects to `addr`.
    pub async fn connect(addr: SocketAddr) -> MuxClient {
        let stream = TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        let (mut rd, mut wr) = stream.into_split();
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                next_id: 0,
                waiters: HashMap::new(),
                out: BytesMut::new(),
            }),
            wake: Notify::new(),
        });
        let s = shared.clone();
        let writer = tokio::spawn(async move {
            let mut batch = BytesMut::new();
            loop {
                s.wake.notified().await;
                std::mem::swap(&mut s.state.lock().expect("lock").out, &mut batch);
                if batch.is_empty() {
                    continue;
                }
                if wr.write_all(&batch).await.is_err() {
                    return;
                }
                batch.clear();
            }
        });
        let s = shared.clone();
        let reader = tokio::spawn(async move {
            let mut buf = BytesMut::with_capacity(READ_CHUNK);
            loop {
                if buf.capacity() - buf.len() < 1024 {
                    buf.reserve(READ_CHUNK);
                }
                match rd.read_buf(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                while let Some((id, payload)) = next_frame(&mut buf) {
                    let waiter = s.state.lock().expect("lock").waiters.remove(&id);
                    if let Some(w) = waiter {
                        let _ = w.send(payload.freeze());
                    }
                }
            }
        });
        MuxClient {
            shared,
            tasks: Arc::new([writer, reader]),
        }
    }

    /// Echoes `msg`.
    pub async fn echo(&self, msg: GameMessage) -> GameMessage {
        let (tx, rx) = oneshot::channel();
        let was_empty = {
            let mut st = self.shared.state.lock().expect("lock");
            let mut id = st.next_id;
            while st.waiters.contains_key(&id) {
                id = id.wrapping_add(1);
            }
            st.next_id = id.wrapping_add(1);
            st.waiters.insert(id, tx);
            let was_empty = st.out.is_empty();
            put_frame(&mut st.out, id, &msg);
            was_empty
        };
        if was_empty {
            self.shared.wake.notify_one();
        }
        let payload = rx.await.expect("the connection closed");
        gscluster::from_bytes(&payload).expect("a GameMessage")
    }

    /// Closes the connection.
    pub fn stop(&self) {
        for t in self.tasks.iter() {
            t.abort();
        }
    }
}

impl Caller for MuxClient {
    type Msg = GameMessage;

    fn call(&mut self, msg: GameMessage) -> impl Future<Output = GameMessage> + Send + '_ {
        self.echo(msg)
    }

    fn id(msg: &GameMessage) -> u64 {
        msg.id
    }
}
