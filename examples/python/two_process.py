"""Two processes, real signaling: the answerer runs a tiny TCP signaling server,
the offerer connects to it; JSON lines carry the offer and the answer.

    python examples/python/two_process.py answer 127.0.0.1 9000 &
    python examples/python/two_process.py offer  127.0.0.1 9000
"""

import asyncio
import json
import sys

from omnirtc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription

CONFIG = RTCConfiguration(omnirtc={"includeLoopback": True, "mdns": "disabled"})
ROUNDS = 3


async def send(writer: asyncio.StreamWriter, description: RTCSessionDescription) -> None:
    writer.write(json.dumps({"type": description.type, "sdp": description.sdp}).encode() + b"\n")
    await writer.drain()


async def receive(reader: asyncio.StreamReader) -> RTCSessionDescription:
    message = json.loads(await reader.readline())
    return RTCSessionDescription(message["sdp"], message["type"])


async def offer(host: str, port: int) -> None:
    pc = RTCPeerConnection(CONFIG)
    channel = pc.createDataChannel("chat")
    replies: asyncio.Queue = asyncio.Queue()
    channel.on("message", replies.put_nowait)
    opened = asyncio.get_running_loop().create_future()
    channel.on("open", lambda: opened.set_result(True))

    reader, writer = await asyncio.open_connection(host, port)
    await pc.setLocalDescription(await pc.createOffer())
    await send(writer, pc.localDescription)
    await pc.setRemoteDescription(await receive(reader))
    await opened
    for i in range(1, ROUNDS + 1):
        channel.send(f"ping {i}")
        print("offerer got:", await asyncio.wait_for(replies.get(), 10))
    writer.close()
    await pc.close()
    print("offerer: done")


async def answer(host: str, port: int) -> None:
    pc = RTCPeerConnection(CONFIG)
    finished = asyncio.get_running_loop().create_future()

    @pc.on("datachannel")
    def on_datachannel(channel):
        @channel.on("message")
        def on_message(message):
            print("answerer got:", message)
            channel.send(f"pong for {message}")

        channel.on("close", lambda: finished.done() or finished.set_result(True))

    async def on_client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await pc.setRemoteDescription(await receive(reader))
        await pc.setLocalDescription(await pc.createAnswer())
        await send(writer, pc.localDescription)
        await reader.read()  # the offerer hangs up when it is done
        finished.done() or finished.set_result(True)

    server = await asyncio.start_server(on_client, host, port)
    print("answerer: listening", flush=True)
    async with server:
        await asyncio.wait_for(finished, 30)
    await pc.close()
    print("answerer: done")


if __name__ == "__main__":
    role, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    asyncio.run(offer(host, port) if role == "offer" else answer(host, port))
