namespace OfferHub.Lite.Infrastructure.Stellar;

/// <summary>Stellar StrKeys: account ids ("G...") and Soroban contract ids ("C..."), each base32 of a
/// version byte, 32 bytes and a CRC16-XModem checksum. Checked here rather than by pulling in a
/// Stellar SDK for two functions.</summary>
public static class StellarAddress
{
    private const byte AccountIdVersion = 6 << 3;
    private const byte ContractVersion = 2 << 3;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static bool IsValid(string? address) => IsStrKey(address, 'G', AccountIdVersion);

    public static bool IsValidContract(string? contractId) => IsStrKey(contractId, 'C', ContractVersion);

    /// <summary>The address of a 32-byte public key.</summary>
    public static string FromPublicKey(ReadOnlySpan<byte> key) => Encode(AccountIdVersion, key);

    /// <summary>The contract id of a 32-byte contract hash.</summary>
    public static string ContractFromHash(ReadOnlySpan<byte> hash) => Encode(ContractVersion, hash);

    private static bool IsStrKey(string? text, char prefix, byte version)
    {
        if (text is not { Length: 56 } || text[0] != prefix || !TryDecodeBase32(text, out var bytes) || bytes.Length != 35 || bytes[0] != version)
        {
            return false;
        }

        var checksum = Crc16(bytes.AsSpan(0, 33));
        return bytes[33] == (byte)(checksum & 0xff) && bytes[34] == (byte)(checksum >> 8);
    }

    private static string Encode(byte version, ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("A Stellar key or contract hash has 32 bytes.", nameof(key));
        }

        var bytes = new byte[35];
        bytes[0] = version;
        key.CopyTo(bytes.AsSpan(1));
        var checksum = Crc16(bytes.AsSpan(0, 33));
        bytes[33] = (byte)(checksum & 0xff);
        bytes[34] = (byte)(checksum >> 8);
        return EncodeBase32(bytes);
    }

    private static ushort Crc16(ReadOnlySpan<byte> data)
    {
        ushort crc = 0;
        foreach (var b in data)
        {
            crc ^= (ushort)(b << 8);
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }
        }

        return crc;
    }

    private static string EncodeBase32(byte[] data)
    {
        var output = new System.Text.StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                output.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            output.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return output.ToString();
    }

    private static bool TryDecodeBase32(string text, out byte[] bytes)
    {
        var output = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            var value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                bytes = [];
                return false;
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)((buffer >> (bits - 8)) & 0xff));
                bits -= 8;
            }
        }

        bytes = [.. output];
        return true;
    }
}
